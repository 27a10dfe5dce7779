import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { waitFor } from '@opstream/runtime/testing/stack'

const main = fileURLToPath(new URL('../main.ts', import.meta.url))

export const DEV_KEY = 'dev-write-key'
export const basicAuth = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`

export interface IngestProcess {
  child: ChildProcess
  base: string
  stderr: string[]
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** The flags `npm start` runs the services with (scripts/start.ts). */
const NODE_FLAGS = ['--max-semi-space-size=32']

/** Runs the real ingest service (main.ts) as a child process and waits until it is ready. */
export async function startIngest(env: Record<string, string>): Promise<IngestProcess> {
  const child = spawn(process.execPath, [...NODE_FLAGS, '--import', 'tsx', main], {
    env: { ...process.env, INGEST_HTTP_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr: string[] = []
  let port: number | undefined
  let buffered = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      if (!line.includes('"msg":"ready"')) continue
      port = (JSON.parse(line) as { port: number }).port
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()))
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`ingest exited with ${child.exitCode}: ${stderr.join('')}`)
      return port
    },
    { what: 'ingest ready', timeoutMs: 60_000 },
  )
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exit
    },
  }
}
