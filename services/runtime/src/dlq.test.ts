import { describe, expect, it } from 'vitest'
import { DLQ_HEADERS, toDlqMessage } from './dlq.ts'
import { message } from './testing/fakes.ts'

describe('toDlqMessage', () => {
  it('keeps key, value and headers, and adds reason and source position', () => {
    const m = { ...message(42, 'dev-1', 'raw'), partition: 3, headers: { trace: Buffer.from('t1') } }
    const out = toDlqMessage(
      { message: m, reason: 'bad magic byte 0x7b' },
      'enrich',
      new Date('2026-01-02T03:04:05Z'),
    )
    expect(out.key?.toString()).toBe('dev-1')
    expect(out.value?.toString()).toBe('raw')
    expect(out.headers).toEqual({
      trace: Buffer.from('t1'),
      [DLQ_HEADERS.reason]: 'bad magic byte 0x7b',
      [DLQ_HEADERS.sourceTopic]: 't',
      [DLQ_HEADERS.sourcePartition]: '3',
      [DLQ_HEADERS.sourceOffset]: '42',
      [DLQ_HEADERS.service]: 'enrich',
      [DLQ_HEADERS.failedAt]: '2026-01-02T03:04:05.000Z',
    })
  })

  it('cuts very long reasons to 4 KiB', () => {
    const out = toDlqMessage({ message: message(1, null), reason: 'x'.repeat(10_000) }, 's', new Date(0))
    expect(String(out.headers?.[DLQ_HEADERS.reason])).toHaveLength(4096)
  })
})
