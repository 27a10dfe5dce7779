import { describe, expect, it } from 'vitest'
import { issueToken, tokenValid } from './session-token.ts'

const SECRET = 'a secret of some length'

describe('session tokens', () => {
  it('hold until they expire, under the secret that issued them only', () => {
    const token = issueToken(SECRET, 2_000)
    expect(tokenValid(SECRET, token, 1_999)).toBe(true)
    expect(tokenValid(SECRET, token, 2_000)).toBe(false)
    expect(tokenValid('another secret entirely', token, 1_000)).toBe(false)
  })

  it('refuse a changed expiry, a missing part and nothing at all', () => {
    const [, mac] = issueToken(SECRET, 2_000).split('.')
    expect(tokenValid(SECRET, `9999999999999.${mac}`, 1_000)).toBe(false)
    expect(tokenValid(SECRET, '2000', 1_000)).toBe(false)
    expect(tokenValid(SECRET, '.abc', 1_000)).toBe(false)
    expect(tokenValid(SECRET, undefined, 1_000)).toBe(false)
  })
})
