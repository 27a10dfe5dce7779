-- Event volume per hour by event, channel of the visit, acquisition channel, campaign and
-- platform; daily figures are sums of the hours. Kept by a view over `events`.
CREATE TABLE IF NOT EXISTS events_hourly
(
    hour                 DateTime('UTC'),
    event                LowCardinality(String),
    channel_group        LowCardinality(String),
    channel_source       LowCardinality(String),
    acquisition_group    LowCardinality(String),
    acquisition_campaign LowCardinality(String),
    platform             LowCardinality(String),
    events               UInt64,
    amount               Decimal(38, 4)
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, event, channel_group, channel_source, acquisition_group, acquisition_campaign, platform)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_hourly_mv TO events_hourly AS
SELECT
    toStartOfHour(occurred_at) AS hour,
    event, channel_group, channel_source, acquisition_group, acquisition_campaign, platform,
    count() AS events,
    toDecimal128(sum(ifNull(amount, 0)), 4) AS amount
FROM events
GROUP BY hour, event, channel_group, channel_source, acquisition_group, acquisition_campaign, platform;

-- Per-minute series for alerting: events by name, visit channel group and platform.
CREATE TABLE IF NOT EXISTS metric_points
(
    minute        DateTime('UTC'),
    metric        LowCardinality(String),
    event         LowCardinality(String),
    channel_group LowCardinality(String),
    platform      LowCardinality(String),
    value         Float64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (metric, minute, event, channel_group, platform)
TTL minute + INTERVAL 90 DAY
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS metric_points_events_mv TO metric_points AS
SELECT
    toStartOfMinute(occurred_at) AS minute,
    'events' AS metric,
    event, channel_group, platform,
    toFloat64(count()) AS value
FROM events
GROUP BY minute, event, channel_group, platform;

-- The purchase ladder: users reaching their nth purchase, by registration day and acquisition
-- channel. Each user's nth purchase is one event (enrich numbers them exactly once), so a count
-- of events is a count of users. Weeks and months are sums of days.
CREATE TABLE IF NOT EXISTS purchase_ladder
(
    cohort_day           Date,
    acquisition_group    LowCardinality(String),
    acquisition_source   LowCardinality(String),
    acquisition_campaign LowCardinality(String),
    nth                  UInt32,
    users                UInt64,
    amount               Decimal(38, 4)
)
ENGINE = SummingMergeTree
ORDER BY (cohort_day, acquisition_group, acquisition_source, acquisition_campaign, nth)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS purchase_ladder_mv TO purchase_ladder AS
SELECT
    toDate(assumeNotNull(registered_at)) AS cohort_day,
    acquisition_group, acquisition_source, acquisition_campaign,
    assumeNotNull(nth_purchase) AS nth,
    count() AS users,
    toDecimal128(sum(ifNull(amount, 0)), 4) AS amount
FROM events
WHERE nth_purchase >= 1 AND registered_at IS NOT NULL
GROUP BY cohort_day, acquisition_group, acquisition_source, acquisition_campaign, nth;
