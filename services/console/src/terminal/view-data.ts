/**
 * The terminal view's numbers, read as the console reads them (the read-only user, the same
 * named queries): each stage's rate and lag and the DLQ from the Pipeline page's query, today's
 * registrations by channel group and how many of those registrants have invested, and each
 * alert's latest state of the last two days from `alerts`.
 */
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import { stageNames } from '@opstream/runtime/config'
import { alertsNow } from '../queries/alerts-page.ts'
import { shiftDay } from '../queries/overview.ts'
import { pipeline } from '../queries/pipeline-page.ts'
import type { ViewState } from './render-view.ts'

/**
 * Today's registrations by channel group, and how many of those registrants have made their
 * first investment (`purchase_ladder`'s cohort of the day, first purchases): a same-day
 * conversion, at most 100 %. A day's first investments of earlier registrants are not in it.
 */
const TODAY_SQL = `
SELECT grp, toUInt32(sum(r)) AS registrations, toUInt32(sum(f)) AS first_investments FROM (
  SELECT acquisition_group AS grp, sum(registrations) AS r, toUInt64(0) AS f
  FROM channel_daily WHERE day = {day:Date} GROUP BY grp
  UNION ALL
  SELECT acquisition_group AS grp, toUInt64(0) AS r, sum(users) AS f
  FROM purchase_ladder WHERE cohort_day = {day:Date} AND nth = 1 GROUP BY grp
)
GROUP BY grp HAVING registrations > 0 ORDER BY registrations DESC, grp LIMIT 12`

/** A stage's name without the topic prefix: `opstream.enrich.attribute` → `enrich.attribute`. */
function stageName(series: string, prefix: string): string {
  if (series === 'ingest') return 'ingest'
  return series.startsWith(prefix) ? series.slice(prefix.length) : series
}

export async function readView(
  reader: ClickHouseClient,
  opts: { prefix: string; now: Date },
): Promise<Omit<ViewState, 'simulator' | 'addresses' | 'problem' | 'at'>> {
  const day = opts.now.toISOString().slice(0, 10)
  const [p, today, alerts] = await Promise.all([
    pipeline(reader, 1),
    queryRows<{ grp: string; registrations: number; first_investments: number }>(reader, TODAY_SQL, { day }),
    alertsNow(reader, { from: shiftDay(day, -1), to: day }),
  ])
  const latest = (points: typeof p.rates) => {
    const by = new Map<string, number>()
    for (const point of points) by.set(point.series, point.value)
    return by
  }
  const rates = latest(p.rates)
  const lags = latest(p.lag)
  const names = [...new Set([...rates.keys(), ...lags.keys()])].sort((a, b) =>
    a === 'ingest' ? -1 : b === 'ingest' ? 1 : stageOrder(a) - stageOrder(b),
  )
  const latestLetter = p.deadLetters[0]
  return {
    stages: names.map((s) => ({
      name: stageName(s, opts.prefix),
      perSecond: rates.get(s) ?? null,
      lag: s === 'ingest' ? null : (lags.get(s) ?? null),
    })),
    dlq: {
      total: p.dlqTotal,
      latestReason: latestLetter ? `${latestLetter.service}: ${latestLetter.reason}` : null,
      latestAt: latestLetter?.at ?? null,
    },
    today: today.map((t) => ({
      group: t.grp,
      registrations: t.registrations,
      firstInvestments: t.first_investments,
    })),
    alerts: alerts
      .filter(
        (a) =>
          a.state !== 'resolved' || Date.parse(`${a.at.replace(' ', 'T')}Z`) > opts.now.getTime() - 3_600_000,
      )
      .slice(0, 8)
      .map((a) => ({ at: a.at, rule: a.rule, series: a.series, state: a.state, explanation: a.explanation })),
  }
}

/** The pipeline's order: attribute, profile, aggregate (a series names its group, prefixed). */
const STAGE_GROUPS = Object.values(stageNames('').groups)
function stageOrder(series: string): number {
  const i = STAGE_GROUPS.findIndex((group) => series.endsWith(group))
  return i === -1 ? STAGE_GROUPS.length : i
}
