import { avroStateCodec } from '@opstream/runtime/state-codec'
import { channelInfo } from '@opstream/runtime/testing/channel-info'
import { describe, expect, it } from 'vitest'
import { deviceStateCodec, deviceStateSchemaV1 } from './device-state-codec.ts'
import { personRecordSchemaV1 } from './person-record.ts'
import { personStateCodec } from './person-state-codec.ts'

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
      seen: { hashes: [2 ** 44 - 1, 0, 123_456_789], seconds: [1_763_000_000, 1_762_990_000, 1_763_000_000] },
      recentPurchases: [42],
      devices: [{ device: 2 ** 47 + 5, offset: 2 ** 40 + 7 }],
      user: null,
      userOffset: -1,
    }
    const bytes = codec.encode(person)
    expect(codec.decode(bytes)).toEqual(person)
    // 1 format byte; 3 window ids at 8 bytes, a purchase hash, a device and its offset at 6 bytes
    // each, the window's newest second; the channel, 11 fields.
    expect(bytes.length).toBeLessThan(160)
  })

  const registered = (i: number) => {
    const at = 1_763_000_000_000 + i
    return {
      userId: `u${i}`,
      linkedAt: at,
      registeredAt: at + 5,
      acquisition: { ...channelInfo('Paid Search', 'Baidu'), medium: 'cpc', campaign: 'bd_brand' },
      purchaseCount: 1,
      cumulativeUnits: '50000000',
      firstPurchaseAt: at + 3_600_000,
      seen: { hashes: [i, i + 1], seconds: [1_763_000_000 + i, 1_763_000_001 + i] },
      recentPurchases: [i + 1],
      devices: [{ device: i, offset: 7 }],
      user: {
        member_tier: 'silver',
        city: '杭州',
        province: '浙江',
        birthday: '1990-05-01',
        gender: null,
        asset_band: '5w-20w',
        registered_at: new Date(at - 1_000),
        custom: { vip: '1' },
      },
      userOffset: 12,
    }
  }

  it('hold a person in memory in a compact form that reads back the same', () => {
    const { memory, encode } = personStateCodec()
    if (!memory) throw new Error('the person codec has a memory form')
    const first = registered(1)
    expect(memory.decode(memory.encode(first))).toEqual(first)
    const second = registered(2)
    const bytes = memory.encode(second)
    expect(memory.decode(bytes)).toEqual(second)
    // The channel (11 fields) and the shared attributes are an index each; times a byte or two.
    expect(bytes.length).toBeLessThan(encode(second).length - 60)
    // What a caller changes in what it read does not change what is held.
    const read = memory.decode(bytes)
    if (read.acquisition) read.acquisition.campaign = 'changed'
    if (read.user) read.user.city = 'changed'
    expect(memory.decode(bytes)).toEqual(second)
    const bare = {
      ...second,
      linkedAt: null,
      registeredAt: null,
      acquisition: null,
      user: null,
      firstPurchaseAt: 5,
    }
    expect(memory.decode(memory.encode(bare))).toEqual(bare)
  })

  it('convert between the changelog and the memory form directly, byte for byte', () => {
    const codec = personStateCodec()
    const { memory } = codec
    if (!memory?.fromChangelog || !memory.toChangelog) throw new Error('the person codec converts directly')
    for (const person of [
      registered(3),
      { ...registered(4), user: null, acquisition: null, registeredAt: null },
    ]) {
      const held = memory.fromChangelog(codec.encode(person))
      expect(held).toEqual(memory.encode(person))
      expect(memory.decode(held)).toEqual(person)
      expect(memory.toChangelog(held)).toEqual(codec.encode(person))
    }
  })

  it('read a person of the previous format, its window starting empty', () => {
    const { seen: _seen, ...rest } = registered(5)
    const v1 = avroStateCodec<Record<string, unknown>>({ version: 1, schema: personRecordSchemaV1 as never })
    const six = (n: number) => Buffer.from([0, 0, 0, 0, 0, n])
    const old = v1.encode({
      ...rest,
      recent: Buffer.concat([six(1), six(2)]),
      recentPurchases: six(6),
      devices: Buffer.concat([six(5), six(7)]),
    })
    expect(personStateCodec().decode(old)).toEqual({ ...registered(5), seen: { hashes: [], seconds: [] } })
  })

  it('keep channels inline in memory once the interned table is full', () => {
    const { memory } = personStateCodec()
    if (!memory) throw new Error('the person codec has a memory form')
    const withCampaign = (i: number) => ({
      ...registered(i),
      acquisition: { ...channelInfo('Paid Search', 'Baidu'), campaign: `c${i}` },
    })
    const held = Array.from({ length: 65_540 }, (_, i) => memory.encode(withCampaign(i)))
    expect(memory.decode(held[0] as Buffer)).toEqual(withCampaign(0))
    expect(memory.decode(held[65_539] as Buffer)).toEqual(withCampaign(65_539))
    expect((held[65_539] as Buffer).length).toBeGreaterThan((held[0] as Buffer).length + 10)
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
      userId: 'u7',
      linkedAt: 3,
    }
    const bytes = codec.encode(device)
    expect(codec.decode(bytes)).toEqual(device)
    bytes[0] = 9
    expect(() => codec.decode(bytes)).toThrow(/format 9, this release reads format 2/)
  })

  it('read a device of the previous format as linked from the start', () => {
    const { linkedAt: _l, ...v1Device } = {
      lastEventAt: 5,
      sessionIndex: 2,
      sessionStartedAt: 4,
      sessionChannel: channelInfo('Direct'),
      firstTouch: { channel: channelInfo('Direct'), at: 1 },
      lastNonDirect: null,
      userId: 'u7',
      linkedAt: null,
    }
    const v1 = avroStateCodec<Record<string, unknown>>({ version: 1, schema: deviceStateSchemaV1 as never })
    expect(deviceStateCodec().decode(v1.encode(v1Device))).toEqual({ ...v1Device, linkedAt: null })
  })
})
