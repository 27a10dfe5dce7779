/**
 * Users and how a request names one, as ClickHouse's HTTP interface accepts it: HTTP Basic, the
 * `X-ClickHouse-User` / `X-ClickHouse-Key` headers, or `user` / `password` URL parameters — one
 * way per request. A request that names no user is the `default` user with an empty password.
 * Only SHA-256 hashes of passwords are configured (ClickHouse's `password_sha256_hex`).
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { type ClickHouseError, clickhouseError } from './clickhouse-error.ts'

export type Role = 'writer' | 'reader'

export interface User {
  name: string
  role: Role
  sha256: Buffer
}

/** `name:role:sha256hex,...` — the form CLICKHOUSE_LOCAL_USERS takes. */
export function parseUsers(spec: string): User[] {
  const users = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, role, hex, ...rest] = entry.split(':')
      if (!name || !/^[A-Za-z0-9_.-]+$/.test(name) || rest.length > 0)
        throw new Error(`user entry "${entry}" must be name:writer|reader:sha256hex`)
      if (role !== 'writer' && role !== 'reader')
        throw new Error(`user ${name}: role must be writer or reader`)
      if (!hex || !/^[0-9a-f]{64}$/i.test(hex))
        throw new Error(`user ${name}: the password must be given as a 64-digit SHA-256 hex hash`)
      return { name, role, sha256: Buffer.from(hex, 'hex') } satisfies User
    })
  const names = users.map((u) => u.name)
  const twice = names.find((n, i) => names.indexOf(n) !== i)
  if (twice) throw new Error(`user ${twice} is configured twice`)
  if (users.length === 0) throw new Error('no users configured')
  return users
}

export function sha256Hex(password: string): string {
  return createHash('sha256').update(password).digest('hex')
}

export interface Credentials {
  user: string
  password: string
}

export interface CredentialSources {
  authorization?: string | undefined
  headerUser?: string | undefined
  headerKey?: string | undefined
  paramUser?: string | null | undefined
  paramPassword?: string | null | undefined
}

/** The credentials a request carries, or ClickHouse's error when it names them more than one way. */
export function credentialsOf(src: CredentialSources): Credentials | ClickHouseError {
  const basic = src.authorization?.startsWith('Basic ') ? decodeBasic(src.authorization.slice(6)) : undefined
  const header = src.headerUser !== undefined || src.headerKey !== undefined
  const params = src.paramUser != null || src.paramPassword != null
  const ways = [basic !== undefined, header, params].filter(Boolean).length
  if (ways > 1)
    return clickhouseError(
      'BAD_ARGUMENTS',
      'Invalid authentication: it is not allowed to use Authorization HTTP header and authentication via parameters simultaneously',
    )
  if (basic) return basic
  if (header) return { user: src.headerUser || 'default', password: src.headerKey ?? '' }
  if (params) return { user: src.paramUser || 'default', password: src.paramPassword ?? '' }
  return { user: 'default', password: '' }
}

function decodeBasic(b64: string): Credentials {
  const text = Buffer.from(b64, 'base64').toString('utf8')
  const colon = text.indexOf(':')
  return colon < 0
    ? { user: text, password: '' }
    : { user: text.slice(0, colon), password: text.slice(colon + 1) }
}

/**
 * The configured user the credentials belong to. An unknown user and a wrong password get the
 * same answer, as in ClickHouse, so the error does not tell which user names exist.
 */
export function authenticate(users: readonly User[], creds: Credentials): User | ClickHouseError {
  const user = users.find((u) => u.name === creds.user)
  const given = createHash('sha256').update(creds.password).digest()
  if (user && timingSafeEqual(user.sha256, given)) return user
  return clickhouseError(
    'AUTHENTICATION_FAILED',
    `${creds.user}: Authentication failed: password is incorrect, or there is no user with such name`,
  )
}
