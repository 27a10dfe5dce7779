import { describe, expect, it } from 'vitest'
import { hashWriteKey, parseWriteKeys, writeKeyOf } from './write-keys.ts'

describe('write keys', () => {
  it('hashes with SHA-256 (reference value)', () => {
    // sha256("abc") from FIPS 180-2.
    expect(hashWriteKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('parses app:platform:hash entries and rejects malformed ones', () => {
    const apps = parseWriteKeys(`www:web:${hashWriteKey('k1')}, ios:ios:${hashWriteKey('k2')}`)
    expect(apps.get(hashWriteKey('k2'))).toEqual({ appId: 'ios', platform: 'ios' })
    expect(() => parseWriteKeys('www:web:nothex')).toThrow(/app_id:platform:sha256hex/)
    expect(() => parseWriteKeys(`www:tv:${hashWriteKey('k')}`)).toThrow(/platform one of/)
  })

  it('reads the key from Basic auth, Bearer, or the body', () => {
    expect(writeKeyOf(`Basic ${Buffer.from('wk:').toString('base64')}`, undefined)).toBe('wk')
    expect(writeKeyOf('Bearer wk2', undefined)).toBe('wk2')
    expect(writeKeyOf(undefined, 'wk3')).toBe('wk3')
    expect(writeKeyOf(undefined, undefined)).toBeUndefined()
    expect(writeKeyOf(`Basic ${Buffer.from(':').toString('base64')}`, undefined)).toBeUndefined()
  })
})
