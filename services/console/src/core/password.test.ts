import { describe, expect, it } from 'vitest'
import { hashPassword, PASSWORD_HASH_PATTERN, verifyPassword } from './password.ts'

describe('the console password', () => {
  it('verifies against its scrypt hash, and nothing else does', async () => {
    const hash = await hashPassword('correct horse battery', Buffer.alloc(16, 7))
    expect(hash).toMatch(PASSWORD_HASH_PATTERN)
    expect(hash.startsWith('scrypt$32768$8$1$')).toBe(true)
    expect(await verifyPassword('correct horse battery', hash)).toBe(true)
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false)
    expect(await verifyPassword('', hash)).toBe(false)
    // Another salt, another hash; a malformed hash verifies nothing.
    expect(await hashPassword('correct horse battery', Buffer.alloc(16, 8))).not.toBe(hash)
    expect(await verifyPassword('correct horse battery', 'plain-text')).toBe(false)
  })
})
