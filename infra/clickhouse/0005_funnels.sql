-- A person reached step `step` (1-based) of a funnel: when, when the chain that got there
-- entered the funnel, and the person's channel, campaign and platform at that moment. One row
-- per (funnel, step, person); written by the aggregate's funnel state, deduplicated with the
-- sink's range tokens (ReplacingMergeTree as a second line of defence).
CREATE TABLE IF NOT EXISTS funnel_progress
(
    funnel        LowCardinality(String),
    step          UInt8,
    step_name     LowCardinality(String),
    person_key    String,
    reached_at    DateTime64(3, 'UTC'),
    entry_at      DateTime64(3, 'UTC'),
    channel_group LowCardinality(String),
    campaign      LowCardinality(String),
    platform      LowCardinality(String),
    src_partition UInt32,
    src_offset    UInt64
)
ENGINE = ReplacingMergeTree
ORDER BY (funnel, step, person_key)
SETTINGS non_replicated_deduplication_window = 10000;

-- Step counts and time to convert per hour / day (of reaching the step) × funnel × step ×
-- channel × campaign × platform. Time to convert (from funnel entry) as a sum, for the mean, and
-- as a histogram, for its distribution.
CREATE TABLE IF NOT EXISTS funnel_hourly
(
    hour          DateTime('UTC'),
    funnel        LowCardinality(String),
    step          UInt8,
    step_name     LowCardinality(String),
    channel_group LowCardinality(String),
    campaign      LowCardinality(String),
    platform      LowCardinality(String),
    users         UInt64,
    seconds_to_convert UInt64,
    within_1m     UInt64,
    within_1h     UInt64,
    within_1d     UInt64,
    within_7d     UInt64,
    within_30d    UInt64,
    later         UInt64
)
ENGINE = SummingMergeTree
ORDER BY (hour, funnel, step, step_name, channel_group, campaign, platform)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_hourly_mv TO funnel_hourly AS
SELECT
    toStartOfHour(reached_at) AS hour,
    funnel, step, step_name, channel_group, campaign, platform,
    count() AS users,
    sum(toUInt64(greatest(dateDiff('second', entry_at, reached_at), 0))) AS seconds_to_convert,
    countIf(dateDiff('second', entry_at, reached_at) <= 60) AS within_1m,
    countIf(dateDiff('second', entry_at, reached_at) > 60 AND dateDiff('second', entry_at, reached_at) <= 3600) AS within_1h,
    countIf(dateDiff('second', entry_at, reached_at) > 3600 AND dateDiff('second', entry_at, reached_at) <= 86400) AS within_1d,
    countIf(dateDiff('second', entry_at, reached_at) > 86400 AND dateDiff('second', entry_at, reached_at) <= 604800) AS within_7d,
    countIf(dateDiff('second', entry_at, reached_at) > 604800 AND dateDiff('second', entry_at, reached_at) <= 2592000) AS within_30d,
    countIf(dateDiff('second', entry_at, reached_at) > 2592000) AS later
FROM funnel_progress
GROUP BY hour, funnel, step, step_name, channel_group, campaign, platform;

CREATE TABLE IF NOT EXISTS funnel_daily
(
    day           Date,
    funnel        LowCardinality(String),
    step          UInt8,
    step_name     LowCardinality(String),
    channel_group LowCardinality(String),
    campaign      LowCardinality(String),
    platform      LowCardinality(String),
    users         UInt64,
    seconds_to_convert UInt64
)
ENGINE = SummingMergeTree
ORDER BY (day, funnel, step, step_name, channel_group, campaign, platform)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_daily_mv TO funnel_daily AS
SELECT
    toDate(reached_at) AS day,
    funnel, step, step_name, channel_group, campaign, platform,
    count() AS users,
    sum(toUInt64(greatest(dateDiff('second', entry_at, reached_at), 0))) AS seconds_to_convert
FROM funnel_progress
GROUP BY day, funnel, step, step_name, channel_group, campaign, platform;
