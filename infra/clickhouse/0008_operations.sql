-- The morning numbers: active and new users, revenue, retention, LTV and fund flows. Every table
-- here is kept by a view over `events` as rows arrive (a rollup's cost grows with new input, not
-- with history) and is deduplicated with it by the sink's tokens. Distinct counts are exact
-- aggregate states (uniqExact), so a week or a month is the merge of its days' states — DAU, WAU
-- and MAU are read from the same rows.

-- Per day of the event × acquisition channel × platform (where the activity happened). A person
-- is the pipeline's person key: the user once registered, else the device. `new_devices` counts a
-- device on the day of its first event as enrich saw it (first_touch_at): a late event from
-- before that first one moves its device's day, which this rollup does not follow.
CREATE TABLE IF NOT EXISTS activity_daily
(
    day                  Date,
    acquisition_group    LowCardinality(String),
    acquisition_source   LowCardinality(String),
    acquisition_campaign LowCardinality(String),
    platform             LowCardinality(String),
    events               SimpleAggregateFunction(sum, UInt64),
    persons              AggregateFunction(uniqExact, String),
    users                AggregateFunction(uniqExact, String),
    devices              AggregateFunction(uniqExact, String),
    new_devices          AggregateFunction(uniqExact, String),
    new_users            AggregateFunction(uniqExact, String),
    payers               AggregateFunction(uniqExact, String),
    first_payers         AggregateFunction(uniqExact, String),
    orders               SimpleAggregateFunction(sum, UInt64),
    gmv                  SimpleAggregateFunction(sum, Decimal(38, 4))
)
ENGINE = AggregatingMergeTree
ORDER BY (day, acquisition_group, acquisition_source, acquisition_campaign, platform)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS activity_daily_mv TO activity_daily AS
SELECT
    toDate(occurred_at) AS day,
    acquisition_group, acquisition_source, acquisition_campaign, platform,
    count() AS events,
    uniqExactState(person_key) AS persons,
    uniqExactStateIf(user_id, user_id != '') AS users,
    uniqExactState(anonymous_id) AS devices,
    uniqExactStateIf(anonymous_id, first_touch_at IS NOT NULL AND toDate(assumeNotNull(first_touch_at)) = day) AS new_devices,
    uniqExactStateIf(user_id, event = 'register' AND user_id != '') AS new_users,
    uniqExactStateIf(person_key, nth_purchase >= 1) AS payers,
    uniqExactStateIf(person_key, nth_purchase = 1) AS first_payers,
    countIf(nth_purchase >= 1) AS orders,
    toDecimal128(sumIf(ifNull(amount, 0), nth_purchase >= 1), 4) AS gmv
FROM events
GROUP BY day, acquisition_group, acquisition_source, acquisition_campaign, platform;

-- Cohorts: users by the day they joined a cohort and the days since (day_n), by acquisition
-- channel and the platform of the activity.
--   kind 'active':         cohort = registration day; a user is in (cohort, n) when active on
--                          day n after it; amount and orders are their purchases that day (LTV).
--   kind 'first_purchase': cohort = registration day; n = days to the first purchase.
--   kind 'buyers':         cohort = first-purchase day, n = 0: the repurchase cohorts' sizes.
--   kind 'repurchase':     cohort = first-purchase day; in (cohort, n) when buying again on day n.
-- "On or after day n" is the merge of the states of n and later.
CREATE TABLE IF NOT EXISTS cohort_activity
(
    kind                 LowCardinality(String),
    cohort_day           Date,
    acquisition_group    LowCardinality(String),
    acquisition_source   LowCardinality(String),
    acquisition_campaign LowCardinality(String),
    platform             LowCardinality(String),
    day_n                UInt16,
    users                AggregateFunction(uniqExact, String),
    orders               SimpleAggregateFunction(sum, UInt64),
    amount               SimpleAggregateFunction(sum, Decimal(38, 4))
)
ENGINE = AggregatingMergeTree
ORDER BY (kind, cohort_day, acquisition_group, acquisition_source, acquisition_campaign, platform, day_n)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS cohort_activity_mv TO cohort_activity AS
SELECT
    cohort.1 AS kind,
    cohort.2 AS cohort_day,
    acquisition_group, acquisition_source, acquisition_campaign, platform,
    toUInt16(dateDiff('day', cohort_day, toDate(occurred_at))) AS day_n,
    uniqExactState(user_id) AS users,
    countIf(nth_purchase >= 1) AS orders,
    toDecimal128(sumIf(money, nth_purchase >= 1), 4) AS amount
FROM (SELECT *, ifNull(amount, 0) AS money FROM events)
ARRAY JOIN arrayConcat(
    if(registered_at IS NULL, [], [('active', toDate(assumeNotNull(registered_at)))]),
    if(registered_at IS NOT NULL AND nth_purchase = 1, [('first_purchase', toDate(assumeNotNull(registered_at)))], []),
    if(nth_purchase = 1, [('buyers', toDate(occurred_at))], []),
    if(nth_purchase >= 2 AND first_purchase_at IS NOT NULL, [('repurchase', toDate(assumeNotNull(first_purchase_at)))], [])
) AS cohort
WHERE user_id != '' AND toDate(occurred_at) >= cohort.2
GROUP BY kind, cohort_day, acquisition_group, acquisition_source, acquisition_campaign, platform, day_n;

-- Money in and out per day: recharges, withdrawals and purchases (invest / order), their
-- amounts and the users behind them, and withdrawals of 50,000 or more ("large"; the queries can
-- only ask for this one threshold).
CREATE TABLE IF NOT EXISTS fund_flows_daily
(
    day                  Date,
    flow                 LowCardinality(String),
    acquisition_group    LowCardinality(String),
    acquisition_source   LowCardinality(String),
    acquisition_campaign LowCardinality(String),
    platform             LowCardinality(String),
    events               SimpleAggregateFunction(sum, UInt64),
    amount               SimpleAggregateFunction(sum, Decimal(38, 4)),
    users                AggregateFunction(uniqExact, String),
    large                SimpleAggregateFunction(sum, UInt64),
    large_amount         SimpleAggregateFunction(sum, Decimal(38, 4))
)
ENGINE = AggregatingMergeTree
ORDER BY (day, flow, acquisition_group, acquisition_source, acquisition_campaign, platform)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS fund_flows_daily_mv TO fund_flows_daily AS
SELECT
    day, flow, acquisition_group, acquisition_source, acquisition_campaign, platform,
    count() AS events,
    toDecimal128(sum(money), 4) AS amount,
    uniqExactState(person_key) AS users,
    countIf(money >= 50000) AS large,
    toDecimal128(sumIf(money, money >= 50000), 4) AS large_amount
FROM (
    SELECT
        toDate(occurred_at) AS day,
        if(nth_purchase >= 1, 'purchase', event) AS flow,
        acquisition_group, acquisition_source, acquisition_campaign, platform, person_key,
        ifNull(amount, 0) AS money
    FROM events
    WHERE event IN ('recharge', 'withdraw') OR nth_purchase >= 1)
GROUP BY day, flow, acquisition_group, acquisition_source, acquisition_campaign, platform;
