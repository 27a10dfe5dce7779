import { describe, expect, it } from 'vitest'
import { message } from '../test/support/fakes.ts'
import { createDecoder, createEncoder } from './contract/codec.ts'
import { builtInCatalog, SUBJECTS } from './contract/contract.ts'
import type { DlqRecord } from './contract/generated/dlq-record.ts'
import { fileRegistry } from './contract/registry.ts'
import { DLQ_HEADERS, toDlqMessage } from './dlq.ts'

const registry = fileRegistry(builtInCatalog())
const encoder = await createEncoder<DlqRecord>(registry, SUBJECTS.dlqRecord)
const decoder = await createDecoder<DlqRecord>(registry, SUBJECTS.dlqRecord)

describe('toDlqMessage', () => {
  it('wraps the original bytes in an Avro DlqRecord and repeats the facts as headers', async () => {
    const m = { ...message(42, 'dev-1', 'raw'), partition: 3, headers: { trace: Buffer.from('t1') } }
    const at = new Date('2026-01-02T03:04:05Z')
    const out = toDlqMessage(
      { message: m, reason: 'bad magic byte 0x7b', errorKind: 'bad_magic_byte' },
      'enrich',
      at,
      encoder,
    )
    expect(out.key?.toString()).toBe('dev-1')
    expect(out.headers).toEqual({
      trace: Buffer.from('t1'),
      [DLQ_HEADERS.reason]: 'bad magic byte 0x7b',
      [DLQ_HEADERS.errorKind]: 'bad_magic_byte',
      [DLQ_HEADERS.sourceTopic]: 't',
      [DLQ_HEADERS.sourcePartition]: '3',
      [DLQ_HEADERS.sourceOffset]: '42',
      [DLQ_HEADERS.service]: 'enrich',
      [DLQ_HEADERS.failedAt]: '2026-01-02T03:04:05.000Z',
    })
    const record = await decoder.decode(out.value as Buffer)
    expect(record).toEqual({
      original_key: Buffer.from('dev-1'),
      original_value: Buffer.from('raw'),
      reason: 'bad magic byte 0x7b',
      error_kind: 'bad_magic_byte',
      source_topic: 't',
      source_partition: 3,
      source_offset: 42,
      service: 'enrich',
      failed_at: at,
      headers: { trace: 't1' },
    })
  })

  it('keeps null keys and values, and cuts very long reasons to 4 KiB', async () => {
    const m = { ...message(1, null), value: null }
    const out = toDlqMessage({ message: m, reason: 'x'.repeat(10_000) }, 's', new Date(0), encoder)
    expect(String(out.headers?.[DLQ_HEADERS.reason])).toHaveLength(4096)
    const record = await decoder.decode(out.value as Buffer)
    expect(record.original_key).toBeNull()
    expect(record.original_value).toBeNull()
    expect(record.error_kind).toBe('rejected')
  })
})
