/**
 * The console's password check: scrypt from node:crypto (memory-hard, in the standard library,
 * so no native module to build), the hash written `scrypt$N$r$p$salt$key` in base64url, and
 * compared in constant time.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>

export const PASSWORD_HASH_PATTERN = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/
const COST = { N: 2 ** 15, r: 8, p: 1 }
const KEY_BYTES = 32

export async function hashPassword(password: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const key = await scrypt(password, salt, KEY_BYTES, { ...COST, maxmem: 64 * 1024 * 1024 })
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (!PASSWORD_HASH_PATTERN.test(hash)) return false
  const [, n, r, p, salt, key] = hash.split('$') as [string, string, string, string, string, string]
  const expected = Buffer.from(key, 'base64url')
  const got = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  })
  return got.length === expected.length && timingSafeEqual(got, expected)
}
