/**
 * The operations numbers computed another way: ClickHouse's own functions (uniqExact,
 * retention(), sums) straight over the raw `events`, never over the rollups, so that the rollups'
 * views and queries are checked against what the events say.
 */

const money = (expr: string) => `toDecimalString(toDecimal128(ifNull(${expr}, 0), 4), 4)`
const range = (n: number) => Array.from({ length: n }, (_, i) => i)

/** DAU, WAU and MAU for each of `days` days from `from`, by distinct person keys over windows. */
export function activeTruthSql(from: string, days: number): string {
  return `
SELECT toString(d) AS day,
  toUInt32(uniqExactIf(person_key, toDate(occurred_at) = d)) AS dau,
  toUInt32(uniqExactIf(person_key, toDate(occurred_at) BETWEEN d - 6 AND d)) AS wau,
  toUInt32(uniqExactIf(person_key, toDate(occurred_at) BETWEEN d - 29 AND d)) AS mau,
  if(mau > 0, round(dau / mau, 4), NULL) AS stickiness
FROM events CROSS JOIN (SELECT toDate('${from}') + number AS d FROM numbers(${days})) AS days
GROUP BY d
ORDER BY d`
}

/**
 * One period's summary from the events of [from, to] (matching `where`). New devices — devices
 * whose first event falls in the period — only without a filter.
 */
export function periodTruthSql(from: string, to: string, where = '1'): string {
  const newDevices =
    where === '1'
      ? `toUInt32((SELECT count() FROM (SELECT anonymous_id, min(occurred_at) AS first FROM events GROUP BY anonymous_id)
           WHERE toDate(first) BETWEEN '${from}' AND '${to}')) AS new_devices,`
      : ''
  return `
SELECT ${newDevices} new_users, active, active_users, payers, first_payers, orders,
  toDecimalString(total, 4) AS gmv,
  if(active > 0, toDecimalString(total / active, 4), NULL) AS arpu,
  if(payers > 0, toDecimalString(total / payers, 4), NULL) AS arppu,
  if(orders > 0, toDecimalString(total / orders, 4), NULL) AS aov,
  if(active > 0, round(payers / active, 4), NULL) AS paid_penetration
FROM (
  SELECT
    toUInt32(uniqExactIf(user_id, event = 'register' AND user_id != '')) AS new_users,
    toUInt32(uniqExact(person_key)) AS active,
    toUInt32(uniqExactIf(user_id, user_id != '')) AS active_users,
    toUInt32(uniqExactIf(person_key, nth_purchase >= 1)) AS payers,
    toUInt32(uniqExactIf(person_key, nth_purchase = 1)) AS first_payers,
    toUInt32(countIf(nth_purchase >= 1)) AS orders,
    toDecimal128(ifNull(sumIf(amount, nth_purchase >= 1), 0), 4) AS total
  FROM events
  WHERE toDate(occurred_at) BETWEEN '${from}' AND '${to}' AND ${where})`
}

/**
 * Retention by cohort from each user's own events: retention() over "retained in cell k"
 * conditions (k = 0…maxN; a cell is a day, or a week of 7 days), and the last cell the user was
 * retained in for "on or after". Active: cohort = registration day, retained = any event.
 * Purchase: cohort = the day of the first purchase, retained = a later purchase (2nd or more).
 */
export function retentionTruthSql(
  kind: 'active' | 'purchase',
  unit: 'day' | 'week',
  from: string,
  to: string,
  maxN: number,
): string {
  const start = kind === 'active' ? 'toDate(registered_at)' : 'toDate(first_purchase_at)'
  const retained = kind === 'active' ? '1' : 'nth_purchase >= 2'
  const cell = (start: string) =>
    unit === 'day'
      ? `dateDiff('day', ${start}, toDate(occurred_at))`
      : `intDiv(dateDiff('day', ${start}, toDate(occurred_at)), 7)`
  const cohortOf = unit === 'day' ? 'c' : 'toMonday(c)'
  const members =
    kind === 'active'
      ? `SELECT user_id, toDate(any(registered_at)) AS c FROM events
         WHERE user_id != '' AND registered_at IS NOT NULL GROUP BY user_id`
      : `SELECT user_id, toDate(minIf(occurred_at, nth_purchase = 1)) AS c FROM events
         WHERE user_id != '' AND nth_purchase = 1 GROUP BY user_id`
  return `
WITH
  members AS (${members}),
  per_user AS (
    SELECT user_id,
      retention(toUInt8(1), ${range(maxN + 1)
        .map((k) => `toUInt8(ifNull(${retained} AND ${cell(start)} = ${k}, 0))`)
        .join(', ')}) AS r,
      maxIf(${cell(start)}, ${retained} AND ${cell(start)} >= 0) AS last
    FROM events
    WHERE user_id != '' AND ${kind === 'active' ? 'registered_at IS NOT NULL' : 'first_purchase_at IS NOT NULL'}
    GROUP BY user_id)
SELECT toString(${cohortOf}) AS cohort, toUInt32(k) AS n,
  toUInt32(count()) AS cohort_users,
  toUInt32(countIf(r[k + 2] = 1)) AS on_n,
  toUInt32(countIf(last >= k AND has_retained)) AS on_or_after,
  if(cohort_users > 0, round(on_n / cohort_users, 4), NULL) AS on_rate,
  if(cohort_users > 0, round(on_or_after / cohort_users, 4), NULL) AS on_or_after_rate
FROM (
  SELECT m.user_id, m.c, p.r, p.last, arrayExists(x -> x = 1, arraySlice(p.r, 2)) OR p.last > ${maxN} AS has_retained
  FROM members AS m LEFT JOIN per_user AS p USING (user_id)
  WHERE m.c BETWEEN '${from}' AND '${to}')
ARRAY JOIN range(${maxN + 1}) AS k
GROUP BY cohort, k
HAVING on_or_after > 0
ORDER BY cohort, n`
}

/** Recharges, withdrawals and purchases per ISO week from the events of [from, to]. */
export function fundFlowTruthSql(from: string, to: string): string {
  return `
SELECT toString(toMonday(toDate(occurred_at))) AS period,
  toUInt32(countIf(event = 'recharge')) AS recharges,
  ${money("sumIf(amount, event = 'recharge')")} AS recharge_amount,
  toUInt32(uniqExactIf(person_key, event = 'recharge')) AS recharge_users,
  toUInt32(countIf(event = 'withdraw')) AS withdrawals,
  ${money("sumIf(amount, event = 'withdraw')")} AS withdraw_amount,
  toUInt32(uniqExactIf(person_key, event = 'withdraw')) AS withdraw_users,
  toUInt32(countIf(nth_purchase >= 1)) AS purchases,
  ${money('sumIf(amount, nth_purchase >= 1)')} AS purchase_amount,
  toDecimalString(toDecimal128(ifNull(sumIf(amount, event = 'recharge'), 0), 4)
    - toDecimal128(ifNull(sumIf(amount, event = 'withdraw'), 0), 4), 4) AS net_inflow,
  toUInt32(countIf(event = 'withdraw' AND amount >= 50000)) AS large_withdrawals,
  ${money("sumIf(amount, event = 'withdraw' AND amount >= 50000)")} AS large_withdraw_amount
FROM events
WHERE toDate(occurred_at) BETWEEN '${from}' AND '${to}' AND (event IN ('recharge', 'withdraw') OR nth_purchase >= 1)
GROUP BY period
ORDER BY period`
}

/**
 * LTV by registration week and acquisition group from the events: the cohort's users, those
 * whose first purchase came within each of `days` days, what the cohort bought within them, and
 * what it bought on each day since registration (`by_day`, for the payback day).
 */
export function ltvTruthSql(from: string, to: string, days: readonly number[]): string {
  const since = "dateDiff('day', toDate(registered_at), toDate(occurred_at))"
  return `
SELECT toString(toMonday(toDate(registered_at))) AS cohort, acquisition_group,
  toUInt32(uniqExact(user_id)) AS cohort_users,
  [${days.map((d) => `toUInt32(uniqExactIf(user_id, nth_purchase = 1 AND ${since} < ${d}))`).join(', ')}] AS converted,
  [${days.map((d) => money(`sumIf(amount, nth_purchase >= 1 AND ${since} >= 0 AND ${since} < ${d})`)).join(', ')}] AS amount,
  sumMap(map(toUInt32(assumeNotNull(${since})), toDecimal128(ifNull(if(nth_purchase >= 1, events.amount, NULL), 0), 4))) AS per_day,
  arraySort(arrayMap((k, v) -> (k, toDecimalString(v, 4)), mapKeys(per_day), mapValues(per_day))) AS by_day
FROM events
WHERE user_id != '' AND registered_at IS NOT NULL AND acquisition_group != ''
  AND toDate(occurred_at) >= toDate(registered_at)
  AND toDate(registered_at) BETWEEN '${from}' AND '${to}'
GROUP BY cohort, acquisition_group
ORDER BY cohort, acquisition_group`
}

/**
 * Engagement from the raw events, by window functions over each session's events: a session is
 * its events' session_id, on the day of its first event; its person the user once one appears,
 * else the device.
 */
const PAGE = `if(event = 'page_view', if(page_path = '', '(not set)', page_path), '')`

/**
 * Sessions per day (of their first event): counts, length, bounce; `having` filters sessions by
 * their channel (the largest acquisition value of their events) and platform.
 */
export function sessionTruthSql(from: string, to: string, having = '1'): string {
  return `
SELECT toString(d) AS period,
  toUInt32(count()) AS sessions,
  toUInt32(uniqExact(person)) AS persons,
  if(persons > 0, round(sessions / persons, 4), NULL) AS sessions_per_person,
  toUInt32(sum(pv)) AS page_views,
  if(sessions > 0, round(page_views / sessions, 4), NULL) AS pages_per_session,
  if(sessions > 0, round(sum(len) / sessions / 1000, 1), NULL) AS avg_session_seconds,
  toUInt32(countIf(pv = 1 AND other = 0)) AS bounces,
  if(countIf(pv > 0) > 0, round(bounces / countIf(pv > 0), 4), NULL) AS bounce_rate
FROM (
  SELECT session_id, toDate(min(occurred_at)) AS d,
    if(countIf(user_id != '') > 0, anyIf(user_id, user_id != ''), any(anonymous_id)) AS person,
    toUInt64(dateDiff('millisecond', min(occurred_at), max(occurred_at))) AS len,
    countIf(event = 'page_view') AS pv,
    countIf(event != 'page_view' AND event != 'impression') AS other
  FROM events GROUP BY session_id HAVING ${having})
WHERE d BETWEEN '${from}' AND '${to}'
GROUP BY d
ORDER BY d`
}

/**
 * Pages of the sessions that began in [from, to]: views and viewers, entries and exits by
 * row_number over each session's page views, time on page by leadInFrame to the session's next
 * event (ties ordered by the page, '' for events that are not page views).
 */
export function pageTruthSql(from: string, to: string, limit: number): string {
  return `
WITH ranged AS (
  SELECT e.*, s.person FROM (SELECT session_id, occurred_at, event, user_id, anonymous_id, ${PAGE} AS page FROM events) AS e
  INNER JOIN (
    SELECT session_id, if(countIf(user_id != '') > 0, anyIf(user_id, user_id != ''), any(anonymous_id)) AS person
    FROM events GROUP BY session_id HAVING toDate(min(occurred_at)) BETWEEN '${from}' AND '${to}') AS s
  ON s.session_id = e.session_id),
timed AS (
  SELECT page, person, occurred_at,
    leadInFrame(toNullable(occurred_at)) OVER (PARTITION BY session_id ORDER BY occurred_at, page
      ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS next_at,
    row_number() OVER (PARTITION BY session_id, page != '' ORDER BY occurred_at, page) AS nth,
    row_number() OVER (PARTITION BY session_id, page != '' ORDER BY occurred_at DESC, page DESC) AS nth_last
  FROM ranged)
SELECT page, toUInt32(count()) AS views, toUInt32(uniqExact(person)) AS viewers,
  toUInt32(countIf(nth = 1)) AS entries, toUInt32(countIf(nth_last = 1)) AS exits,
  round(exits / views, 4) AS exit_rate,
  toUInt32(countIf(next_at IS NOT NULL)) AS timed_views,
  toUInt64(sum(ifNull(dateDiff('millisecond', occurred_at, next_at), 0))) AS time_on_page_ms,
  if(timed_views > 0, round(time_on_page_ms / timed_views / 1000, 1), NULL) AS avg_time_on_page_seconds
FROM timed
WHERE page != ''
GROUP BY page
ORDER BY views DESC, page
LIMIT ${limit}`
}

/** Content of [from, to] from the events that name it. */
export function contentTruthSql(from: string, to: string, limit: number): string {
  return `
SELECT content_id, max(content_type) AS content_type,
  toUInt32(countIf(event = 'impression')) AS impressions,
  toUInt32(countIf(event = 'click')) AS clicks,
  if(impressions > 0, round(clicks / impressions, 4), NULL) AS ctr,
  toUInt32(countIf(event = 'page_view')) AS reads,
  toUInt32(uniqExactIf(person_key, event = 'page_view')) AS readers,
  toUInt32(countIf(event = 'share')) AS shares,
  toUInt32(uniqExactIf(person_key, event = 'share')) AS sharers
FROM events
WHERE content_id != '' AND toDate(occurred_at) BETWEEN '${from}' AND '${to}'
GROUP BY content_id
ORDER BY impressions DESC, reads DESC, content_id
LIMIT ${limit}`
}
