import { channelInfo } from '@opstream/runtime/testing/channel-info'
import { describe, expect, it } from 'vitest'
import { deviceStateCodec, personStateCodec } from './state-codecs.ts'

describe('enrich state codecs', () => {
  it('round-trip a person, hashes and device offsets included, in few bytes', () => {
    const codec = personStateCodec()
    const person = {
      userId: 'u-1024',
      linkedAt: 1_763_000_000_000,
      registeredAt: 1_763_000_000_000,
      acquisition: { ...channelInfo('Paid Social', 'toutiao'), campaign: 'tt_1124', name: '头条' },
      purchaseCount: 3,
      cumulativeUnits: '123456789012345678901234',
      firstPurchaseAt: 1_763_000_100_000,
      recent: [2 ** 48 - 1, 0, 123_456_789],
      recentPurchases: [42],
      devices: [{ device: 2 ** 47 + 5, offset: 2 ** 40 + 7 }],
      user: null,
      userOffset: -1,
    }
    const bytes = codec.encode(person)
    expect(codec.decode(bytes)).toEqual(person)
    // 1 format byte; 3 + 1 + 1 hashes and one offset at 6 bytes each (36); the channel, 11 fields.
    expect(bytes.length).toBeLessThan(160)
  })

  it('round-trip a device and refuse another format version', () => {
    const codec = deviceStateCodec()
    const ch = channelInfo('Direct')
    const device = {
      lastEventAt: 5,
      sessionIndex: 2,
      sessionStartedAt: 4,
      sessionChannel: ch,
      firstTouch: { channel: channelInfo('Paid Search', 'Baidu'), at: 1 },
      lastNonDirect: null,
      userId: null,
    }
    const bytes = codec.encode(device)
    expect(codec.decode(bytes)).toEqual(device)
    bytes[0] = 9
    expect(() => codec.decode(bytes)).toThrow(/format 9, this release reads format 1/)
  })
})
