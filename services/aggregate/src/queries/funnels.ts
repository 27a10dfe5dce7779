import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'

export interface FunnelStepRow {
  channel_group: string
  step: number
  step_name: string
  users: number
  /** Of the channel's step-1 users in the range; 1 for step 1. */
  of_first: number
  /** Of the channel's users at the step before; 1 for step 1. */
  of_previous: number
  mean_hours_to_convert: number | null
}

/**
 * A funnel's steps per acquisition channel group, counting persons who reached each step on a
 * day in the range, from the `funnel_daily` rollup (refreshed every 30 s from funnel_progress),
 * with the conversion from step 1 and from the step before, and the mean time from entering the
 * funnel.
 */
export const FUNNEL_STEPS_SQL = `
SELECT channel_group, step, step_name, n AS users,
  round(n / first_value(n) OVER w, 4) AS of_first,
  round(n / if(step = 1, n, lagInFrame(n, 1, n) OVER w), 4) AS of_previous,
  if(n = 0, NULL, round(seconds / n / 3600, 2)) AS mean_hours_to_convert
FROM (
  SELECT channel_group, step, any(step_name) AS step_name, toUInt32(sum(users)) AS n,
    sum(seconds_to_convert) AS seconds
  FROM funnel_daily
  WHERE funnel = {funnel:String} AND day BETWEEN {from:Date} AND {to:Date}
  GROUP BY channel_group, step
)
WINDOW w AS (PARTITION BY channel_group ORDER BY step ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
ORDER BY channel_group, step`

export interface TimeToConvertRow {
  step: number
  step_name: string
  users: number
  within_1m: number
  within_1h: number
  within_1d: number
  within_7d: number
  within_30d: number
  later: number
}

/** How long persons took from entering a funnel to each step, as a histogram, from `funnel_hourly`. */
export const TIME_TO_CONVERT_SQL = `
SELECT step, any(step_name) AS step_name, toUInt32(sum(users)) AS users,
  toUInt32(sum(within_1m)) AS within_1m, toUInt32(sum(within_1h)) AS within_1h,
  toUInt32(sum(within_1d)) AS within_1d, toUInt32(sum(within_7d)) AS within_7d,
  toUInt32(sum(within_30d)) AS within_30d, toUInt32(sum(later)) AS later
FROM funnel_hourly
WHERE funnel = {funnel:String} AND hour >= toDateTime({from:Date}) AND hour < toDateTime({to:Date}) + INTERVAL 1 DAY
GROUP BY step
ORDER BY step`

export function funnelSteps(
  client: ClickHouseClient,
  params: { funnel: string; from: string; to: string },
): Promise<FunnelStepRow[]> {
  return queryRows<FunnelStepRow>(client, FUNNEL_STEPS_SQL, params)
}

export function timeToConvert(
  client: ClickHouseClient,
  params: { funnel: string; from: string; to: string },
): Promise<TimeToConvertRow[]> {
  return queryRows<TimeToConvertRow>(client, TIME_TO_CONVERT_SQL, params)
}
