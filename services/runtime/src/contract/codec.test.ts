import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { arbitraryFor } from '../../test/support/avro-arbitrary.ts'
import { sampleEvent } from '../../test/support/sample-events.ts'
import { createDecoder, createEncoder, frame, schemaIdOf } from './codec.ts'
import { builtInCatalog, SUBJECTS } from './contract.ts'
import type { Event } from './generated/event.ts'
import { fileRegistry } from './registry.ts'
import { SchemaValidationError, WireFormatError } from './wire-errors.ts'

const catalog = builtInCatalog()
const registry = fileRegistry(catalog)

async function wireError(p: Promise<unknown>): Promise<WireFormatError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(WireFormatError)
  return err as WireFormatError
}

describe('Confluent framing', () => {
  it('is magic byte 0, the id as 4 bytes big-endian, then the Avro body', () => {
    const framed = frame(0x01020304, Buffer.from([0xaa, 0xbb]))
    expect([...framed]).toEqual([0x00, 0x01, 0x02, 0x03, 0x04, 0xaa, 0xbb])
    expect(schemaIdOf(framed)).toBe(0x01020304)
  })

  it('writes the subject’s registered id', async () => {
    const enc = await createEncoder<Event>(registry, SUBJECTS.event)
    const bytes = enc.encode(sampleEvent())
    expect(bytes[0]).toBe(0)
    expect(bytes.readUInt32BE(1)).toBe(catalog.get(SUBJECTS.event, 'latest')?.id)
  })
})

describe('round trips', () => {
  it.each(catalog.subjects())('%s: decode(encode(v)) equals v for random valid values', async (subject) => {
    const enc = await createEncoder(registry, subject)
    const dec = await createDecoder(registry, subject)
    const type = catalog.get(subject, 'latest')?.type
    if (!type) throw new Error(subject)
    await fc.assert(
      fc.asyncProperty(arbitraryFor(type), async (value) => {
        expect(await dec.decode(enc.encode(value))).toEqual(value)
      }),
      { numRuns: 150 },
    )
  })

  it('keeps unicode, empty maps and large decimals exactly', async () => {
    const enc = await createEncoder<Event>(registry, SUBJECTS.event)
    const dec = await createDecoder<Event>(registry, SUBJECTS.event)
    const event = sampleEvent({
      event: 'invest',
      user_id: '用户-😀-\u0000-end',
      page: {
        url: 'https://m.example.cn/理财?wd=基金',
        path: '/理财',
        referrer: 'https://www.baidu.com/s?wd=基金',
        title: '新手专享',
      },
      purchase: {
        order_id: 'o-1',
        amount: '99999999999999.9999',
        currency: 'CNY',
        product_id: 'p-7d',
        product_type: '定期',
        term_days: 7,
        coupon_id: null,
      },
      properties: {},
    })
    expect(await dec.decode(enc.encode(event))).toEqual(event)
  })
})

describe('bad bytes raise typed errors', () => {
  it('names the wrong magic byte', async () => {
    const dec = await createDecoder(registry, SUBJECTS.event)
    const err = await wireError(dec.decode(Buffer.from('{"event":"x"}')))
    expect(err.kind).toBe('bad_magic_byte')
    expect(err.message).toContain('0x7b')
  })

  it('reports an unknown schema id', async () => {
    const dec = await createDecoder(registry, SUBJECTS.event)
    const err = await wireError(dec.decode(frame(4242, Buffer.from([0]))))
    expect(err.kind).toBe('unknown_schema_id')
    expect(err.message).toContain('4242')
  })

  it('reports empty, header-only-short and cut-off payloads as truncated', async () => {
    const enc = await createEncoder<Event>(registry, SUBJECTS.event)
    const dec = await createDecoder(registry, SUBJECTS.event)
    const whole = enc.encode(sampleEvent())
    expect((await wireError(dec.decode(Buffer.alloc(0)))).kind).toBe('truncated')
    expect((await wireError(dec.decode(null))).kind).toBe('truncated')
    expect((await wireError(dec.decode(whole.subarray(0, 3)))).kind).toBe('truncated')
    for (const cut of [6, 20, whole.length - 1]) {
      expect(['truncated', 'invalid_payload']).toContain(
        (await wireError(dec.decode(whole.subarray(0, cut)))).kind,
      )
    }
  })

  it('reports bytes of another type, or with trailing garbage, as invalid', async () => {
    const dec = await createDecoder(registry, SUBJECTS.event)
    const eventId = catalog.get(SUBJECTS.event, 'latest')?.id as number
    const enc = await createEncoder<Event>(registry, SUBJECTS.event)
    const trailing = Buffer.concat([enc.encode(sampleEvent()), Buffer.from([1, 2, 3])])
    expect((await wireError(dec.decode(trailing))).kind).toBe('invalid_payload')
    const channelBytes = frame(eventId, Buffer.from([0x02, 0x41, 0x02, 0x42, 0x00]))
    expect(['invalid_payload', 'truncated']).toContain((await wireError(dec.decode(channelBytes))).kind)
  })

  it('refuses map keys that would be lost when read ("__proto__")', async () => {
    const enc = await createEncoder<Event>(registry, SUBJECTS.event)
    const properties = JSON.parse('{"ok":"1","__proto__":"x"}') as Record<string, string>
    const campaign = {
      ...sampleEvent().campaign,
      other_click_ids: JSON.parse('{"__proto__":"y"}') as Record<string, string>,
    }
    expect(() => enc.encode(sampleEvent({ properties, campaign }))).toThrow(
      expect.objectContaining({
        kind: 'validation',
        paths: ['campaign.other_click_ids.__proto__', 'properties.__proto__'],
      }),
    )
  })

  it('refuses to encode an invalid value, naming each bad field', async () => {
    const enc = await createEncoder<Event>(registry, SUBJECTS.event)
    const bad = { ...sampleEvent(), event_id: 'nope', anonymous_id: 42 } as unknown as Event
    let err: unknown
    try {
      enc.encode(bad)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(SchemaValidationError)
    expect((err as SchemaValidationError).paths).toEqual(['event_id', 'anonymous_id'])
  })
})
