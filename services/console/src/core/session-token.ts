/**
 * Session tokens for the login cookie: the expiry time and an HMAC-SHA256 of it under the
 * console's secret. Stateless, so a restart with the same secret keeps people signed in; one
 * with a new secret signs everyone out.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export function issueToken(secret: string, expiresAtMs: number): string {
  const body = String(expiresAtMs)
  return `${body}.${sign(secret, body)}`
}

export function tokenValid(secret: string, token: string | undefined, nowMs: number): boolean {
  if (!token) return false
  const [body, mac] = token.split('.')
  if (!body || !mac || !/^\d+$/.test(body)) return false
  const expected = Buffer.from(sign(secret, body))
  const got = Buffer.from(mac)
  return got.length === expected.length && timingSafeEqual(got, expected) && Number(body) > nowMs
}

function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url')
}
