/**
 * The template variables every operations dashboard shares, and the SQL fragments that apply
 * them. Values come from the rollups' own distinct values; each list is multi-value with All,
 * and `$__conditionalAll` drops a filter whose variable is All.
 */
import type { VariableModel } from '@grafana/schema'
import { listVariable } from '../core/panels.ts'

const distinct = (column: string, table: string, where = '1') =>
  `SELECT DISTINCT ${column} FROM ${table} WHERE ${column} != '' AND ${where} ORDER BY ${column}`

export const GROUP = listVariable(
  'group',
  '渠道分组 Channel group',
  distinct('acquisition_group', 'activity_daily'),
)
export const SOURCE = listVariable(
  'source',
  '来源 Source',
  distinct(
    'acquisition_source',
    'activity_daily',
    '$__conditionalAll(acquisition_group IN ($group), $group)',
  ),
)
const campaignWhere = (bySource: boolean) =>
  bySource
    ? '$__conditionalAll(acquisition_group IN ($group), $group) AND $__conditionalAll(acquisition_source IN ($source), $source)'
    : '$__conditionalAll(acquisition_group IN ($group), $group)'

/** Campaigns of the chosen groups (and sources, on dashboards that filter by source). */
export const campaignVariable = (bySource: boolean) =>
  listVariable(
    'campaign',
    '投放计划 Campaign',
    distinct('acquisition_campaign', 'activity_daily', campaignWhere(bySource)),
  )
export const CAMPAIGN = campaignVariable(true)
export const PLATFORM = listVariable('platform', '平台 Platform', distinct('platform', 'activity_daily'))

export const CHANNEL_VARIABLES: VariableModel[] = [GROUP, SOURCE, CAMPAIGN, PLATFORM]

/** The acquisition channel and platform filters, for rollups keyed by them. */
export const ACQUISITION = `$__conditionalAll(acquisition_group IN ($group), $group)
  AND $__conditionalAll(acquisition_source IN ($source), $source)
  AND $__conditionalAll(acquisition_campaign IN ($campaign), $campaign)
  AND $__conditionalAll(platform IN ($platform), $platform)`

/** The same for the funnel rollups, keyed by the person's channel group, campaign and platform. */
export const FUNNEL_DIMS = `$__conditionalAll(channel_group IN ($group), $group)
  AND $__conditionalAll(campaign IN ($campaign), $campaign)
  AND $__conditionalAll(platform IN ($platform), $platform)`

/**
 * The dashboard's range as days, and the two it is compared with: the same number of days just
 * before, and the same days a week earlier.
 */
export const PERIODS = `toDate($__fromTime) AS f, toDate($__toTime) AS t, dateDiff('day', f, t) + 1 AS n`
export const IN_ANY_PERIOD = `day BETWEEN least(f - n, f - 7) AND t`
