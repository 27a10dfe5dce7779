-- Stall triggers fired, and what became of them: one row per (rule, person, start), written when
-- the trigger fires and again when the person converts within the rule's window (the highest
-- version wins; read with FINAL). `measure_until` is when the window closes.
CREATE TABLE IF NOT EXISTS trigger_outcomes
(
    rule          LowCardinality(String),
    person_key    String,
    since         DateTime64(3, 'UTC'),
    fired_at      DateTime64(3, 'UTC'),
    deadline      Nullable(DateTime64(3, 'UTC')),
    measure_until DateTime64(3, 'UTC'),
    channel_group LowCardinality(String),
    campaign      LowCardinality(String),
    platform      LowCardinality(String),
    converted_at  Nullable(DateTime64(3, 'UTC')),
    trigger_id    UUID,
    version       UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (rule, person_key, since);

-- Funnel steps reached per minute × funnel/step × channel × platform, for alert rules on step
-- conversion (recomputed every minute from funnel_progress, whose rows can move; the 8 days up to
-- the newest step reached, enough for a same-minute-last-week baseline). Read alongside metric_points as metric
-- 'funnel_step', event '<funnel>/<step>'.
CREATE MATERIALIZED VIEW IF NOT EXISTS funnel_step_points
REFRESH EVERY 1 MINUTE
ENGINE = MergeTree
ORDER BY (minute, event, channel_group, platform)
AS SELECT
    toStartOfMinute(reached_at) AS minute,
    'funnel_step' AS metric,
    concat(funnel, '/', toString(step)) AS event,
    channel_group, platform,
    toFloat64(count()) AS value
FROM funnel_progress FINAL
WHERE reached_at >= (SELECT max(reached_at) FROM funnel_progress) - INTERVAL 8 DAY
GROUP BY minute, event, channel_group, platform;

-- Pipeline health sampled by the aggregate: consumer lag per group and topic (a gauge), and the
-- dead-letter topic's message total (a counter). The latest sample of a minute wins.
CREATE TABLE IF NOT EXISTS pipeline_health
(
    minute     DateTime('UTC'),
    metric     LowCardinality(String),
    group_name LowCardinality(String),
    topic      LowCardinality(String),
    value      Float64,
    sampled_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(sampled_at)
ORDER BY (metric, group_name, topic, minute)
TTL minute + INTERVAL 90 DAY;

-- Every per-minute series in one place: event volume, funnel steps, consumer lag (event = the
-- consumer group, channel_group = its topic) and messages sent to the DLQ per minute (the
-- counter's increase over the minute sampled before; the first sampled minute counts the total).
-- Health rows are filtered in subqueries: an output alias `metric` would shadow the column in a
-- WHERE beside it.
CREATE VIEW IF NOT EXISTS metric_series AS
SELECT minute, metric, event, channel_group, platform, sum(value) AS value
FROM metric_points
GROUP BY minute, metric, event, channel_group, platform
UNION ALL
SELECT minute, metric, event, channel_group, platform, value FROM funnel_step_points
UNION ALL
SELECT minute, 'consumer_lag' AS metric, group_name AS event, topic AS channel_group, '' AS platform, value
FROM (SELECT minute, group_name, topic, value FROM pipeline_health FINAL WHERE metric = 'consumer_lag')
UNION ALL
SELECT minute, 'dlq_messages' AS metric, '' AS event, topic AS channel_group, '' AS platform,
       greatest(value - lagInFrame(value, 1, 0) OVER (PARTITION BY topic ORDER BY minute
                ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), 0) AS value
FROM (SELECT minute, topic, value FROM pipeline_health FINAL WHERE metric = 'dlq_total');

-- Every purchase with its number (enrich numbers a person's purchases exactly once), the
-- person's registration day and acquisition channel: time between purchases by cohort.
CREATE TABLE IF NOT EXISTS purchases
(
    person_key        String,
    nth               UInt32,
    purchased_at      DateTime64(3, 'UTC'),
    cohort_day        Date,
    acquisition_group LowCardinality(String),
    amount            Decimal(18, 4)
)
ENGINE = ReplacingMergeTree
ORDER BY (person_key, nth)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS purchases_mv TO purchases AS
SELECT person_key, assumeNotNull(nth_purchase) AS nth, occurred_at AS purchased_at,
       toDate(assumeNotNull(registered_at)) AS cohort_day, acquisition_group, assumeNotNull(amount) AS amount
FROM events
WHERE nth_purchase IS NOT NULL AND registered_at IS NOT NULL AND amount IS NOT NULL;
