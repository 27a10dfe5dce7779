/**
 * The console's named APIs: each a parameterized query over the rollups, its parameters
 * validated here. The browser names an API and passes filter values; it never sends SQL, and the
 * ClickHouse credentials stay in this process.
 */

import { funnelSteps, timeToConvert } from '@opstream/aggregate/queries/funnels'
import { purchaseLadder } from '@opstream/aggregate/queries/purchase-ladder'
import { retention } from '@opstream/aggregate/queries/retention'
import { triggerOutcomes } from '@opstream/aggregate/queries/triggers'
import type { ClickHouseClient } from '@opstream/runtime/clickhouse-client'
import { queryRows } from '@opstream/runtime/clickhouse-client'
import { z } from 'zod'
import { alertHistory, alertsNow } from '../queries/alerts-page.ts'
import { channelTableAndTrend, groupLtv } from '../queries/channels.ts'
import { funnelNames, funnelTrend } from '../queries/funnels-page.ts'
import { overview, shiftDay } from '../queries/overview.ts'
import { pipeline } from '../queries/pipeline-page.ts'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
const filter = z.string().max(200).default('')
/** A date range's ends; rangeOf fills in what is left out. */
const RANGE = { from: day.optional(), to: day.optional() }

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
      const p = parse(z.object({ ...RANGE, group: filter }), params)
      const range = rangeOf(p, now)
      const [economics, ltv] = await Promise.all([
        channelTableAndTrend(reader, range, p.group),
        groupLtv(reader, range, p.group),
      ])
      return { ...range, ...economics, ltv }
    },
  },
  /** A funnel's steps by channel group, the time to each step, and its daily conversion. */
  funnels: {
    async run(reader, params, now) {
      const p = parse(z.object({ ...RANGE, group: filter, funnel: filter }), params)
      const range = rangeOf(p, now)
      const names = await funnelNames(reader, shiftDay(range.to, -365))
      const funnel = p.funnel || names[0] || ''
      const q = { funnel, ...range }
      const [steps, times, trend] = await Promise.all([
        funnelSteps(reader, q),
        timeToConvert(reader, q),
        funnelTrend(reader, { ...q, group: p.group }),
      ])
      return {
        ...range,
        funnel,
        funnels: names,
        steps: steps.filter((r) => !p.group || r.channel_group === p.group),
        times,
        trend,
      }
    },
  },
  /** Day-N retention of the registration cohorts (active, or buying again) and the purchase ladder. */
  retention: {
    async run(reader, params, now) {
      const p = parse(
        z.object({
          ...RANGE,
          group: filter,
          kind: z.enum(['active', 'purchase']).default('active'),
        }),
        params,
      )
      const range = rangeOf(p, now)
      const [cells, ladder] = await Promise.all([
        retention(
          reader,
          { kind: p.kind, grain: 'day', unit: 'day', ...range, maxN: 14 },
          { group: p.group },
        ),
        purchaseLadder(reader, 'week', range),
      ])
      return {
        ...range,
        kind: p.kind,
        cells,
        ladder: ladder.filter((r) => !p.group || r.acquisition_group === p.group),
      }
    },
  },
  /** Stall triggers fired per day and rule, and how many of those persons then converted. */
  lifecycle: {
    async run(reader, params, now) {
      const p = parse(z.object({ ...RANGE, group: filter, platform: filter }), params)
      const range = rangeOf(p, now)
      return {
        ...range,
        outcomes: await triggerOutcomes(reader, 'day', range, { group: p.group, platform: p.platform }),
      }
    },
  },
  /** What is firing, pending or resolved now, and every state change of the range. */
  alerts: {
    async run(reader, params, now) {
      const p = parse(
        z.object({
          ...RANGE,
          state: z.enum(['', 'firing', 'pending', 'resolved']).default(''),
        }),
        params,
      )
      const range = rangeOf(p, now)
      const [current, history] = await Promise.all([
        alertsNow(reader, range),
        alertHistory(reader, { ...range, state: p.state }),
      ])
      return { ...range, current, history }
    },
  },
  /** Lag, the DLQ and the writes of the last hours (1 to 72; 6 by default). */
  pipeline: {
    async run(reader, params) {
      const p = parse(z.object({ hours: z.coerce.number().int().min(1).max(72).default(6) }), params)
      return { hours: p.hours, ...(await pipeline(reader, p.hours)) }
    },
  },
}

/** [from, to] from the parameters: to defaults to today, from to 29 days before to. */
function rangeOf(
  p: { from?: string | undefined; to?: string | undefined },
  now: Date,
): { from: string; to: string } {
  const to = p.to ?? today(now)
  const range = { from: p.from ?? shiftDay(to, -29), to }
  if (range.from > range.to) throw new ApiParamError('from: after to')
  return range
}
