import { followTopic } from '@opstream/runtime/changelog-reader'
import { type Decoder, decodeTableRecords } from '@opstream/runtime/contract/codec'
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import type { KafkaClient } from '@opstream/runtime/kafka-types'
import type { Logger } from 'pino'
import { Counter, Gauge, type Registry } from 'prom-client'
import type { CatalogEntry } from '../core/channel-catalog.ts'

export interface ChannelCatalog {
  lookup(code: string): CatalogEntry | undefined
  /** Resolves once the catalog as it stood at start-up is loaded. */
  caughtUp: Promise<void>
  stop(): Promise<void>
}

/**
 * The channel catalog (compacted channels topic, keyed by code) held in full by every attribute
 * instance and kept current. Catalog records are validated by ingest on the way in; one that
 * cannot be decoded here is logged and counted, and the code keeps its previous entry.
 */
export async function createChannelCatalog(opts: {
  kafka: KafkaClient
  topic: string
  decoder: Decoder<Channel>
  log: Logger
  registry: Registry
  onFailure: (err: Error) => void
}): Promise<ChannelCatalog> {
  const entries = new Map<string, CatalogEntry>()
  const size = new Gauge({
    name: 'enrich_channel_catalog_entries',
    help: 'Channel codes in the catalog held in memory; equals the catalog size once caught up.',
    registers: [opts.registry],
  })
  const undecodable = new Counter({
    name: 'enrich_channel_catalog_undecodable_total',
    help: 'Channel catalog records that could not be decoded; zero when ingest validated every record.',
    registers: [opts.registry],
  })
  const follower = await followTopic({
    kafka: opts.kafka,
    topic: opts.topic,
    onFailure: opts.onFailure,
    onMessages: async (messages) => {
      const decoded = await decodeTableRecords(opts.decoder, messages)
      messages.forEach((m, i) => {
        const code = m.key?.toString('utf8')
        const d = decoded[i]
        if (!code) return
        if (d?.ok) {
          if (d.value === null) entries.delete(code)
          else entries.set(code, { name: d.value.name, group: d.value.channel_group, owner: d.value.owner })
        } else {
          undecodable.inc()
          opts.log.warn(
            { err: d?.error, topic: opts.topic, partition: m.partition, offset: m.offset },
            'undecodable catalog record',
          )
        }
      })
      size.set(entries.size)
    },
  })
  void follower.caughtUp.then(() =>
    opts.log.info({ topic: opts.topic, entries: entries.size }, 'channel catalog loaded'),
  )
  return { lookup: (code) => entries.get(code), caughtUp: follower.caughtUp, stop: () => follower.stop() }
}
