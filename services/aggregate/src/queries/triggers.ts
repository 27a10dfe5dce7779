/**
 * Stall and user-care triggers and what followed, from `trigger_outcomes` (one row per firing,
 * rewritten when the person converts): per period of firing and rule. The users holding idle
 * funds of a period are the `funds_idle` firings.
 */
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import { type Grain, periodOf } from './grain.ts'

export interface TriggerOutcomeRow {
  period: string
  rule: string
  fired: number
  /** Took the step within the rule's conversion window after the firing. */
  converted: number
  /** converted ÷ fired, 4 decimals. */
  conversion_rate: number
  /** Mean hours from the firing to the conversion, 1 decimal; null without one. */
  avg_hours_to_convert: number | null
}

/** Filters: the person's channel group and campaign as the funnels see them, and platform. */
export interface TriggerFilter {
  rule?: string
  group?: string
  campaign?: string
  platform?: string
}

export function triggerOutcomesSql(grain: Grain): string {
  return `
SELECT toString(p) AS period, rule,
  toUInt32(count()) AS fired,
  toUInt32(countIf(converted_at IS NOT NULL)) AS converted,
  round(converted / fired, 4) AS conversion_rate,
  if(converted > 0,
    round(sumIf(dateDiff('second', fired_at, assumeNotNull(converted_at)), converted_at IS NOT NULL) / converted / 3600, 1),
    NULL) AS avg_hours_to_convert
FROM (SELECT ${periodOf(grain, 'toDate(fired_at)')} AS p, * FROM trigger_outcomes FINAL
      WHERE toDate(fired_at) BETWEEN {from:Date} AND {to:Date}
        AND ({rule:String} = '' OR rule = {rule:String})
        AND ({group:String} = '' OR channel_group = {group:String})
        AND ({campaign:String} = '' OR campaign = {campaign:String})
        AND ({platform:String} = '' OR platform = {platform:String}))
GROUP BY p, rule
ORDER BY p, rule`
}

export function triggerOutcomes(
  client: ClickHouseClient,
  grain: Grain,
  range: { from: string; to: string },
  f: TriggerFilter = {},
): Promise<TriggerOutcomeRow[]> {
  return queryRows<TriggerOutcomeRow>(client, triggerOutcomesSql(grain), {
    ...range,
    rule: f.rule ?? '',
    group: f.group ?? '',
    campaign: f.campaign ?? '',
    platform: f.platform ?? '',
  })
}
