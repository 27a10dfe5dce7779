/**
 * The aggregate's stitch topic on the wire (internal; partitioned like the enriched topic, so
 * the key's owner reads its messages; see core/stitching.ts for the protocol). JSON: nothing
 * outside the aggregate reads this topic.
 */
import type { Decoded } from '@opstream/runtime/contract/codec'
import { WireFormatError } from '@opstream/runtime/contract/wire-errors'
import type { InboundMessage, OutboundMessage } from '@opstream/runtime/kafka-types'
import { z } from 'zod'
import type { StitchMessage } from '../core/stitching.ts'

const anchor = z.object({
  at: z.number(),
  registered: z.boolean(),
  channel: z.string(),
  campaign: z.string(),
  platform: z.string(),
})
const entry = z.object({
  offset: z.number().int(),
  input: z.object({ at: z.number(), steps: z.record(z.string(), z.array(z.number().int())), anchor }),
})
const schema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('claim'), device: z.string(), user: z.string() }),
  z.object({ kind: z.literal('handover'), device: z.string(), user: z.string(), rejected: z.boolean() }),
  z.object({ kind: z.literal('forward'), device: z.string(), user: z.string(), entries: z.array(entry) }),
])

export function stitchRecord(m: StitchMessage): OutboundMessage {
  return { key: m.kind === 'claim' ? m.device : m.user, value: Buffer.from(JSON.stringify(m)) }
}

export function decodeStitch(messages: readonly InboundMessage[]): Decoded<StitchMessage>[] {
  return messages.map((m) => {
    try {
      const parsed = schema.safeParse(JSON.parse(m.value?.toString('utf8') ?? 'null'))
      if (parsed.success) return { ok: true, value: parsed.data }
      const paths = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')
      return { ok: false, error: new WireFormatError('validation', `stitch message: invalid at ${paths}`) }
    } catch (err) {
      return {
        ok: false,
        error: new WireFormatError('invalid_payload', 'stitch message: not JSON', { cause: err }),
      }
    }
  })
}
