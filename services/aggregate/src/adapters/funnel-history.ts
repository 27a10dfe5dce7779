import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import type { FunnelsFile } from '../core/funnel-config.ts'
import { eventAnchor, funnelInput } from '../core/funnel-input.ts'
import type { StitchEntry } from '../core/stitching.ts'

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
    persons: (keys) => read(`person_key IN {k:Array(String)}`, { k: keys }),
  }
}

function inputOf(r: Row, file: FunnelsFile) {
  const at = Number(r.at)
  const acquisition =
    r.acquisition_group === '' ? null : { group: r.acquisition_group, campaign: r.acquisition_campaign }
  return funnelInput(
    {
      at,
      event: r.event,
      nthPurchase: r.nth_purchase,
      platform: r.platform,
      properties: r.properties,
      anchor: eventAnchor(
        at,
        r.event,
        r.platform,
        { group: r.channel_group, campaign: r.channel_campaign },
        acquisition,
      ),
    },
    file,
  )
}
