import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import type { FunnelsFile } from '../core/funnel-config.ts'
import { funnelInput } from '../core/funnel-input.ts'
import type { StitchEntry } from './stitch-messages.ts'

interface Row {
  person_key: string
  o: string
  at: string
  user_id: string
  event: string
  nth_purchase: number | null
  platform: string
  properties: Record<string, string>
  channel_group: string
  channel_campaign: string
  acquisition_group: string
  acquisition_campaign: string
}

const COLUMNS = `person_key, toString(src_offset) AS o, toString(toUnixTimestamp64Milli(occurred_at)) AS at,
  user_id, event, nth_purchase, platform, properties, channel_group, channel_campaign,
  acquisition_group, acquisition_campaign`

export interface FunnelHistory {
  /**
   * A partition's device-keyed events of the given devices, for their hand-over. The sink has
   * written every event of the partition the funnel state has applied (and, after a crash,
   * maybe more — the user merges by offset).
   */
  devices(partition: number, devices: string[]): Promise<Map<string, StitchEntry[]>>
  /** Every event of the given person keys (a user's own, or a device's device-keyed ones). */
  persons(keys: string[]): Promise<Map<string, StitchEntry[]>>
}

/** Reads funnel timelines back from `funnel_events` (the events, ordered by person key). */
export function createFunnelHistory(client: ClickHouseClient, file: FunnelsFile): FunnelHistory {
  const read = async (where: string, params: Record<string, unknown>) => {
    const rows = await queryRows<Row>(
      client,
      `SELECT ${COLUMNS} FROM funnel_events WHERE ${where} ORDER BY person_key, src_offset`,
      params,
    )
    const out = new Map<string, StitchEntry[]>()
    for (const r of rows) {
      const list = out.get(r.person_key) ?? []
      // A sink replay may have written an offset twice.
      if (list[list.length - 1]?.offset !== Number(r.o))
        list.push({ offset: Number(r.o), input: inputOf(r, file) })
      out.set(r.person_key, list)
    }
    return out
  }
  return {
    devices: (partition, devices) =>
      read(`src_partition = {p:UInt32} AND person_key IN {d:Array(String)} AND user_id = ''`, {
        p: partition,
        d: devices,
      }),
    persons: (keys) => read(`person_key IN {k:Array(String)}`, { k: keys }),
  }
}

function inputOf(r: Row, file: FunnelsFile) {
  const at = Number(r.at)
  const registered = r.event === 'register' && r.acquisition_group !== ''
  return funnelInput(
    {
      at,
      event: r.event,
      nthPurchase: r.nth_purchase,
      platform: r.platform,
      properties: r.properties,
      anchor: {
        at,
        registered,
        channel: registered ? r.acquisition_group : r.channel_group,
        campaign: registered ? r.acquisition_campaign : r.channel_campaign,
        platform: r.platform,
      },
    },
    file,
  )
}
