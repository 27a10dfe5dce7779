/**
 * Write keys identify the app that sends events. Configuration holds only their SHA-256
 * hashes (`INGEST_WRITE_KEYS=app_id:platform:sha256hex,...`), so a leaked config does not leak keys.
 */
import { createHash } from 'node:crypto'
import type { Event } from '@opstream/runtime/contract/generated/event'

export interface App {
  appId: string
  platform: Event['app']['platform']
}

const PLATFORMS = new Set(['web', 'h5', 'ios', 'android', 'miniprogram', 'server', 'other'])

export function hashWriteKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

export function parseWriteKeys(spec: string): Map<string, App> {
  const apps = new Map<string, App>()
  for (const entry of spec
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0)) {
    const [appId, platform, hash] = entry.split(':')
    if (!appId || !platform || !hash || !/^[0-9a-f]{64}$/.test(hash) || !PLATFORMS.has(platform)) {
      throw new Error(
        `write key entry "${entry}" is not app_id:platform:sha256hex (platform one of ${[...PLATFORMS].join(', ')})`,
      )
    }
    apps.set(hash, { appId, platform: platform as App['platform'] })
  }
  return apps
}

/**
 * The write key of a request: HTTP Basic with the key as user name (Segment's convention),
 * `Bearer <key>`, or a `writeKey` field in the body (Segment SDKs send it there too).
 */
export function writeKeyOf(authorization: string | undefined, bodyWriteKey: unknown): string | undefined {
  if (authorization?.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8')
    const user = decoded.split(':')[0]
    if (user) return user
  }
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim() || undefined
  return typeof bodyWriteKey === 'string' && bodyWriteKey.length > 0 ? bodyWriteKey : undefined
}
