/**
 * The console's named APIs: each a parameterized query over the rollups, its parameters
 * validated here. The browser names an API and passes filter values; it never sends SQL, and the
 * ClickHouse credentials stay in this process.
 */
import type { ClickHouseClient } from '@opstream/runtime/clickhouse-client'
import { queryRows } from '@opstream/runtime/clickhouse-client'
import { z } from 'zod'
import { channelTable, channelTrend, groupLtv } from '../queries/channels.ts'
import { overview, shiftDay } from '../queries/overview.ts'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
const filter = z.string().max(200).default('')

export class ApiParamError extends Error {}

interface Api {
  run(reader: ClickHouseClient, params: URLSearchParams, now: Date): Promise<unknown>
}

function parse<T extends z.ZodType>(schema: T, params: URLSearchParams): z.infer<T> {
  const r = schema.safeParse(Object.fromEntries(params))
  if (!r.success) {
    throw new ApiParamError(
      r.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '),
    )
  }
  return r.data
}

const today = (now: Date) => now.toISOString().slice(0, 10)

const FILTERS_SQL = `
SELECT groupUniqArray(acquisition_group) AS groups, groupUniqArray(platform) AS platforms
FROM channel_daily WHERE day >= {from:Date}`

export const APIS: Record<string, Api> = {
  /** The filter choices: channel groups and platforms seen in the last 90 days. */
  filters: {
    async run(reader, _params, now) {
      const [row] = await queryRows<{ groups: string[]; platforms: string[] }>(reader, FILTERS_SQL, {
        from: shiftDay(today(now), -90),
      })
      return { groups: (row?.groups ?? []).sort(), platforms: (row?.platforms ?? []).sort() }
    },
  },
  overview: {
    async run(reader, params, now) {
      const p = parse(z.object({ day: day.optional(), group: filter, platform: filter }), params)
      const d = p.day ?? today(now)
      // A past day's last hour is its end; today's is now.
      const until = d === today(now) ? now : new Date(Date.parse(`${d}T23:59:59Z`))
      return overview(reader, d, until, { group: p.group, platform: p.platform })
    },
  },
  channels: {
    async run(reader, params, now) {
      const p = parse(z.object({ from: day.optional(), to: day.optional(), group: filter }), params)
      const to = p.to ?? today(now)
      const range = { from: p.from ?? shiftDay(to, -29), to }
      if (range.from > range.to) throw new ApiParamError('from: after to')
      const [table, trend, ltv] = await Promise.all([
        channelTable(reader, range, p.group),
        channelTrend(reader, range, p.group),
        groupLtv(reader, range, p.group),
      ])
      return { ...range, table, trend, ltv }
    },
  },
}
