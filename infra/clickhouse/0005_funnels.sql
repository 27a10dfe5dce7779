-- A person reached step `step` (1-based) of a funnel: when, when the chain that got there
-- entered the funnel, and the person's channel, campaign and platform (the acquisition at
-- registration, else the person's earliest event). The aggregate's funnel state writes upserts:
-- for one (funnel, person, step) the highest version is the truth, and a deleted one means the
-- step is not reached under that person key (a device whose activity moved to its user). Read
-- it with FINAL.
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
    version       UInt64,
    deleted       UInt8
)
ENGINE = ReplacingMergeTree(version, deleted)
ORDER BY (funnel, person_key, step);

-- Every event's funnel-relevant columns, ordered by person key: a device's activity for its
-- hand-over to its user, and a person's whole timeline when a merge arrives too late for the
-- incremental state (it is then rebuilt from here, exactly).
CREATE TABLE IF NOT EXISTS funnel_events
(
    person_key       String,
    src_partition    UInt32,
    src_offset       UInt64,
    user_id          String,
    occurred_at      DateTime64(3, 'UTC'),
    event            LowCardinality(String),
    nth_purchase     Nullable(UInt32),
    platform         LowCardinality(String),
    properties       Map(String, String),
    channel_group    LowCardinality(String),
    channel_campaign LowCardinality(String),
    acquisition_group    LowCardinality(String),
    acquisition_campaign LowCardinality(String)
)
ENGINE = ReplacingMergeTree
ORDER BY (person_key, src_partition, src_offset)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_events_mv TO funnel_events AS
SELECT person_key, src_partition, src_offset, user_id, occurred_at, event, nth_purchase, platform, properties,
       channel_group, channel_campaign, acquisition_group, acquisition_campaign
FROM events;

-- Step counts and time to convert per hour / day (of reaching the step) × funnel × step ×
-- channel × campaign × platform, recomputed from funnel_progress every 30 seconds (a person's
-- row can move: an upsert is not an increment). Time to convert (from funnel entry) as a sum,
-- for the mean, and as a histogram, for its distribution.
CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_hourly
REFRESH EVERY 30 SECOND
ENGINE = MergeTree
ORDER BY (hour, funnel, step, channel_group, campaign, platform)
AS SELECT
    toStartOfHour(reached_at) AS hour,
    funnel, step, any(step_name) AS step_name, channel_group, campaign, platform,
    count() AS users,
    sum(toUInt64(greatest(dateDiff('second', entry_at, reached_at), 0))) AS seconds_to_convert,
    countIf(dateDiff('second', entry_at, reached_at) <= 60) AS within_1m,
    countIf(dateDiff('second', entry_at, reached_at) > 60 AND dateDiff('second', entry_at, reached_at) <= 3600) AS within_1h,
    countIf(dateDiff('second', entry_at, reached_at) > 3600 AND dateDiff('second', entry_at, reached_at) <= 86400) AS within_1d,
    countIf(dateDiff('second', entry_at, reached_at) > 86400 AND dateDiff('second', entry_at, reached_at) <= 604800) AS within_7d,
    countIf(dateDiff('second', entry_at, reached_at) > 604800 AND dateDiff('second', entry_at, reached_at) <= 2592000) AS within_30d,
    countIf(dateDiff('second', entry_at, reached_at) > 2592000) AS later
FROM funnel_progress FINAL
GROUP BY hour, funnel, step, channel_group, campaign, platform;

CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_daily
REFRESH EVERY 30 SECOND DEPENDS ON funnel_hourly
ENGINE = MergeTree
ORDER BY (day, funnel, step, channel_group, campaign, platform)
AS SELECT
    toDate(hour) AS day,
    funnel, step, any(step_name) AS step_name, channel_group, campaign, platform,
    sum(users) AS users,
    sum(seconds_to_convert) AS seconds_to_convert
FROM funnel_hourly
GROUP BY day, funnel, step, channel_group, campaign, platform;
