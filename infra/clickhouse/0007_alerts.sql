-- Funnel steps reached per minute × funnel/step × channel × platform, now a plain view read live
-- from funnel_progress: an alert rule sees a step as soon as the sink has written it (the
-- refreshable view of 0006 lagged up to a minute), and an anomaly rule's baseline reaches back as
-- many weeks as funnel_progress holds (the refreshable view kept 8 days). metric_series reads it
-- by name, unchanged.
DROP VIEW IF EXISTS funnel_step_points;

CREATE VIEW IF NOT EXISTS funnel_step_points AS
SELECT
    toStartOfMinute(reached_at) AS minute,
    'funnel_step' AS metric,
    concat(funnel, '/', toString(step)) AS event,
    channel_group, platform,
    toFloat64(count()) AS value
FROM funnel_progress FINAL
GROUP BY minute, event, channel_group, platform;

-- Every alert state change, one row each: a series of a rule (its breakdown labels in `series`,
-- e.g. 'channel_group=Paid Social') went pending, firing, was reminded of, resolved or cancelled.
-- The alerts evaluator restores its state machines from the newest row per (rule, series) on
-- start. A re-sent insert carries the same deduplication token and is dropped.
CREATE TABLE IF NOT EXISTS alerts
(
    at          DateTime64(3, 'UTC'),
    rule        LowCardinality(String),
    series      String,
    labels      Map(String, String),
    state       LowCardinality(String),
    severity    LowCardinality(String),
    value       Nullable(Float64),
    baseline    Nullable(Float64),
    threshold   Nullable(Float64),
    score       Nullable(Float64),
    volume      Float64,
    started_at  DateTime64(3, 'UTC'),
    resolved_at Nullable(DateTime64(3, 'UTC')),
    last_breach Nullable(DateTime64(3, 'UTC')),
    explanation String,
    annotations Map(String, String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (rule, series, at)
SETTINGS non_replicated_deduplication_window = 1000;
