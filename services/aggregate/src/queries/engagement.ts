/**
 * Engagement from `sessions` and `content_daily` (infra/clickhouse/0009_engagement.sql). A
 * session belongs to the day it started; its channel is the person's acquisition channel and
 * its platform the device's.
 */
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import { BREAKDOWN_WHERE, type Breakdown, breakdownParams } from './active-users.ts'
import { type Grain, periodOf } from './grain.ts'

/** Each session of [from, to] finalized: its states merged, the filters applied. */
const SESSIONS_OF_RANGE = `
SELECT * FROM (
  SELECT day, session_id,
    any(platform) AS platform,
    if(max(user_id) != '', max(user_id), any(anonymous_id)) AS person,
    max(acquisition_group) AS acquisition_group,
    max(acquisition_source) AS acquisition_source,
    max(acquisition_campaign) AS acquisition_campaign,
    toUInt64(dateDiff('millisecond', min(started_at), max(ended_at))) AS length_ms,
    sum(page_views) AS views,
    sum(interactions) AS acts,
    argMinMerge(entry_page) AS entry,
    argMaxMerge(exit_page) AS exit,
    arraySort(groupArrayMerge(trail)) AS steps
  FROM sessions
  WHERE day BETWEEN {from:Date} AND {to:Date}
  GROUP BY day, session_id)
WHERE ${BREAKDOWN_WHERE}`

/** Sessions of one period. Ratios 4 decimals, null when undefined; lengths in seconds, 1 decimal. */
export interface SessionSummaryRow {
  period: string
  sessions: number
  /** Distinct persons with a session (the user once known, else the device). */
  persons: number
  sessions_per_person: number | null
  page_views: number
  pages_per_session: number | null
  avg_session_seconds: number | null
  /** Sessions with one page view and nothing but impressions besides. */
  bounces: number
  /** Bounces ÷ sessions with a page view. */
  bounce_rate: number | null
}

export function sessionSummarySql(grain: Grain): string {
  return `
SELECT toString(p) AS period,
  toUInt32(count()) AS sessions,
  toUInt32(uniqExact(person)) AS persons,
  if(persons > 0, round(sessions / persons, 4), NULL) AS sessions_per_person,
  toUInt32(sum(views)) AS page_views,
  if(sessions > 0, round(page_views / sessions, 4), NULL) AS pages_per_session,
  if(sessions > 0, round(sum(length_ms) / sessions / 1000, 1), NULL) AS avg_session_seconds,
  toUInt32(countIf(views = 1 AND acts = 0)) AS bounces,
  if(countIf(views > 0) > 0, round(bounces / countIf(views > 0), 4), NULL) AS bounce_rate
FROM (SELECT ${periodOf(grain, 'day')} AS p, views, acts, person, length_ms FROM (${SESSIONS_OF_RANGE}))
GROUP BY p
ORDER BY p`
}

export function sessionSummary(
  client: ClickHouseClient,
  grain: Grain,
  range: { from: string; to: string },
  b?: Breakdown,
): Promise<SessionSummaryRow[]> {
  return queryRows<SessionSummaryRow>(client, sessionSummarySql(grain), { ...range, ...breakdownParams(b) })
}

/** One page over a range: views, entries and exits, time on page. */
export interface PageEngagementRow {
  page: string
  views: number
  /** Distinct persons who viewed it. */
  viewers: number
  /** Sessions it began and ended (as their first and last page view). */
  entries: number
  exits: number
  /** Exits ÷ views, 4 decimals. */
  exit_rate: number
  /** Views followed by another event of the session, and the time to it, summed. */
  timed_views: number
  time_on_page_ms: number
  /** Mean time on page of the timed views, seconds, 1 decimal; null without one. */
  avg_time_on_page_seconds: number | null
}

/**
 * Pages of [from, to] by views (then path), the `limit` first: time on page is each page view's
 * time to the next event of its session, from the session's sorted trail; a session's last event
 * has no next and is not timed.
 */
export const PAGE_ENGAGEMENT_SQL = `
WITH ranged AS (${SESSIONS_OF_RANGE}),
views AS (
  SELECT steps[i].2 AS page, uniqExact(person) AS viewers, count() AS n,
    countIf(i < length(steps)) AS timed,
    sumIf(toUInt64(dateDiff('millisecond', steps[i].1, steps[i + 1].1)), i < length(steps)) AS dwell
  FROM ranged
  ARRAY JOIN arrayEnumerate(steps) AS i
  WHERE steps[i].2 != ''
  GROUP BY page),
ends AS (
  SELECT page, sum(e) AS entries, sum(x) AS exits FROM (
    SELECT entry AS page, 1 AS e, 0 AS x FROM ranged WHERE views > 0
    UNION ALL SELECT exit AS page, 0 AS e, 1 AS x FROM ranged WHERE views > 0)
  GROUP BY page)
SELECT views.page AS page, toUInt32(views.n) AS views, toUInt32(viewers) AS viewers,
  toUInt32(ends.entries) AS entries, toUInt32(ends.exits) AS exits,
  round(ends.exits / views.n, 4) AS exit_rate,
  toUInt32(timed) AS timed_views, toUInt64(dwell) AS time_on_page_ms,
  if(timed > 0, round(dwell / timed / 1000, 1), NULL) AS avg_time_on_page_seconds
FROM views LEFT JOIN ends ON ends.page = views.page
ORDER BY views DESC, page
LIMIT {limit:UInt32}
SETTINGS join_use_nulls = 0`

export function pageEngagement(
  client: ClickHouseClient,
  range: { from: string; to: string },
  b?: Breakdown,
  limit = 50,
): Promise<PageEngagementRow[]> {
  return queryRows<PageEngagementRow>(client, PAGE_ENGAGEMENT_SQL, { ...range, ...breakdownParams(b), limit })
}

/** One piece of content over a range. */
export interface ContentEngagementRow {
  content_id: string
  content_type: string
  impressions: number
  clicks: number
  /** Clicks ÷ impressions, 4 decimals; null without impressions. */
  ctr: number | null
  reads: number
  readers: number
  shares: number
  sharers: number
}

/** Content of [from, to] by impressions then reads, the `limit` first, from `content_daily`. */
export const CONTENT_ENGAGEMENT_SQL = `
SELECT content_id, max(content_type) AS kind,
  toUInt32(sum(impressions)) AS shown, toUInt32(sum(clicks)) AS clicked,
  if(shown > 0, round(clicked / shown, 4), NULL) AS ctr,
  toUInt32(sum(reads)) AS read, toUInt32(uniqExactMerge(readers)) AS read_by,
  toUInt32(sum(shares)) AS shared, toUInt32(uniqExactMerge(sharers)) AS shared_by
FROM content_daily
WHERE day BETWEEN {from:Date} AND {to:Date} AND ${BREAKDOWN_WHERE}
  AND ({placement:String} = '' OR placement = {placement:String})
GROUP BY content_id
ORDER BY shown DESC, read DESC, content_id
LIMIT {limit:UInt32}`

export async function contentEngagement(
  client: ClickHouseClient,
  range: { from: string; to: string },
  b?: Breakdown & { placement?: string },
  limit = 50,
): Promise<ContentEngagementRow[]> {
  const rows = await queryRows<{
    content_id: string
    kind: string
    shown: number
    clicked: number
    ctr: number | null
    read: number
    read_by: number
    shared: number
    shared_by: number
  }>(client, CONTENT_ENGAGEMENT_SQL, {
    ...range,
    ...breakdownParams(b),
    placement: b?.placement ?? '',
    limit,
  })
  return rows.map((r) => ({
    content_id: r.content_id,
    content_type: r.kind,
    impressions: r.shown,
    clicks: r.clicked,
    ctr: r.ctr,
    reads: r.read,
    readers: r.read_by,
    shares: r.shared,
    sharers: r.shared_by,
  }))
}
