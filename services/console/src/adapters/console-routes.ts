/**
 * The console's HTTP routes, mounted on the service's own server beside /metrics and /healthz:
 * the login, the static pages, ECharts from node_modules, and the named APIs (signed in only).
 */
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { ClickHouseClient } from '@opstream/runtime/clickhouse-client'
import type { Logger } from '@opstream/runtime/logger'
import { verifyPassword } from '../core/password.ts'
import { issueToken, tokenValid } from '../core/session-token.ts'
import { APIS, ApiParamError } from './console-api.ts'

const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url))
const ECHARTS = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js')
const COOKIE = 'opstream_console'
const STATIC = /^\/static\/([a-z0-9-]+\.(?:js|css|html|svg))$/
const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml',
}
/** Failed logins from anywhere within a minute before further attempts wait for the minute to pass. */
const FAILURES_PER_MINUTE = 10

export interface ConsoleRoutesDeps {
  reader: ClickHouseClient
  log: Logger
  passwordHash: string
  sessionSecret: string
  sessionMs: number
  refreshS: number
  now?: () => Date
}

export function createConsoleRoutes(deps: ConsoleRoutesDeps) {
  const now = deps.now ?? (() => new Date())
  const failures: number[] = []
  const signedIn = (req: IncomingMessage) =>
    tokenValid(deps.sessionSecret, cookieOf(req, COOKIE), now().getTime())

  return async function consoleRoutes(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://console')
    const path = url.pathname
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      if (!signedIn(req)) return redirect(res, '/login')
      return sendFile(res, 'index.html')
    }
    if (req.method === 'GET' && path === '/login') return sendFile(res, 'login.html')
    if (req.method === 'POST' && path === '/login') return login(req, res)
    if (req.method === 'POST' && path === '/logout') {
      res.setHeader('set-cookie', `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`)
      return send(res, 204, '')
    }
    const file = STATIC.exec(path)?.[1]
    if (req.method === 'GET' && file) return sendFile(res, file)
    if (req.method === 'GET' && path === '/vendor/echarts.min.js') {
      res.setHeader('cache-control', 'max-age=86400')
      return send(res, 200, await readFile(ECHARTS), TYPES.js)
    }
    if (path.startsWith('/api/')) {
      if (!signedIn(req)) return json(res, 401, { error: 'sign in first' })
      if (path === '/api/settings') return json(res, 200, { refreshS: deps.refreshS })
      const api = Object.hasOwn(APIS, path.slice(5)) ? APIS[path.slice(5)] : undefined
      if (!api || req.method !== 'GET') return json(res, 404, { error: `no API ${path}` })
      try {
        return json(res, 200, await api.run(deps.reader, url.searchParams, now()))
      } catch (err) {
        if (err instanceof ApiParamError) return json(res, 400, { error: err.message })
        deps.log.error({ err, api: path }, 'console API failed')
        return json(res, 502, { error: 'the numbers could not be read from ClickHouse' })
      }
    }
    return false
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const t = now().getTime()
    while (failures.length > 0 && (failures[0] as number) < t - 60_000) failures.shift()
    if (failures.length >= FAILURES_PER_MINUTE)
      return json(res, 429, { error: 'too many attempts; wait a minute' })
    const body = await readBody(req, 4_096)
    const password = new URLSearchParams(body).get('password') ?? ''
    if (!(await verifyPassword(password, deps.passwordHash))) {
      failures.push(t)
      deps.log.warn({ remote: req.socket.remoteAddress }, 'console login refused')
      return json(res, 401, { error: 'wrong password' })
    }
    const token = issueToken(deps.sessionSecret, t + deps.sessionMs)
    const maxAge = Math.floor(deps.sessionMs / 1000)
    res.setHeader('set-cookie', `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`)
    return json(res, 200, { ok: true })
  }
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  let body = ''
  for await (const chunk of req) {
    body += chunk
    if (body.length > limit) throw new Error('request body too large')
  }
  return body
}

async function sendFile(res: ServerResponse, name: string): Promise<boolean> {
  const type = TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream'
  res.setHeader('cache-control', 'no-cache')
  return send(res, 200, await readFile(`${WEB_DIR}${name}`), type)
}

function redirect(res: ServerResponse, to: string): boolean {
  res.setHeader('location', to)
  return send(res, 303, '')
}

function json(res: ServerResponse, status: number, body: unknown): boolean {
  return send(res, status, JSON.stringify(body), 'application/json; charset=utf-8')
}

function send(res: ServerResponse, status: number, body: string | Buffer, type?: string): boolean {
  res.statusCode = status
  if (type) res.setHeader('content-type', type)
  res.setHeader('x-content-type-options', 'nosniff')
  res.end(body)
  return true
}
