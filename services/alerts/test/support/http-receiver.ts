import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  /** The request target as sent (query string still encoded). */
  raw: string
  path: string
  query: URLSearchParams
  body: unknown
  at: number
}

/**
 * A local HTTP server that records every POST (path, query, JSON body) and answers with what
 * `respond` says (200 `{"errcode":0}` by default, as the IM robots answer).
 */
export async function startReceiver(
  respond: (r: Received) => { status: number; body?: unknown } = () => ({
    status: 200,
    body: { errcode: 0 },
  }),
) {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const text = Buffer.concat(chunks).toString('utf8')
      const r: Received = {
        raw: req.url ?? '',
        path: url.pathname,
        query: url.searchParams,
        body: text ? JSON.parse(text) : null,
        at: Date.now(),
      }
      received.push(r)
      const answer = respond(r)
      res.writeHead(answer.status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(answer.body ?? {}))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** The bodies POSTed to `path`, in arrival order. */
    bodies: (path: string) => received.filter((r) => r.path === path).map((r) => r.body),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>
