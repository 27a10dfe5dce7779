/**
 * Local receivers for report deliveries: an HTTP server answering as the robots and a webhook
 * do, and a real SMTP server (smtp-server) keeping each message parsed (mailparser).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** One request a receiver was sent. */
export interface Call {
  url: URL
  body: unknown
}

/** Local receivers for the robots and the webhook, answering as they do; /broken always fails. */
export async function robotReceivers() {
  const calls: Array<Call & { path: string }> = []
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (c: Buffer) => {
      text += c
    })
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver')
      calls.push({ path: url.pathname, url, body: JSON.parse(text) })
      if (url.pathname === '/broken') {
        res.statusCode = 500
        res.end('down')
        return
      }
      res.setHeader('content-type', 'application/json')
      res.end(url.pathname === '/feishu' ? '{"code":0,"msg":"success"}' : '{"errcode":0,"errmsg":"ok"}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: (path: string) => calls.filter((c) => c.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A real SMTP server (smtp-server) that takes any login and keeps each message parsed. */
export async function smtpReceiver() {
  const messages: ParsedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onAuth: (_auth, _session, done) => done(null, { user: 'ops' }),
    onData: (stream, _session, done) => {
      simpleParser(stream, { skipImageLinks: true })
        .then((m) => {
          messages.push(m)
          done()
        })
        .catch(done)
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
