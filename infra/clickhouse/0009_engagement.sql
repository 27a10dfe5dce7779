-- Engagement: click trails by session (entry and exit pages, time on page, session length,
-- bounce) and content (impressions, clicks, reads, shares). Kept by views over `events` as rows
-- arrive, like the other rollups, and deduplicated with them by the sink's tokens.

-- The page of an event (page or screen path; from the URL when the app sent no path), the
-- session's start as enrich's attribute stage saw it, and the content an impression, click,
-- share or read (a page view of a piece of content) is of. Rows written before these columns
-- existed read '' and their own time.
ALTER TABLE events
    ADD COLUMN IF NOT EXISTS page_path String AFTER page_url,
    ADD COLUMN IF NOT EXISTS session_started_at DateTime64(3, 'UTC') DEFAULT occurred_at AFTER session_index,
    ADD COLUMN IF NOT EXISTS content_id String AFTER referrer,
    ADD COLUMN IF NOT EXISTS content_type LowCardinality(String) AFTER content_id,
    ADD COLUMN IF NOT EXISTS placement LowCardinality(String) AFTER content_type;

-- One row per session (after merges) and day it started, every state order-independent, so
-- late and out-of-order events land where they belong:
--   person      the session's user once it has one (the largest user id, when a device signs in
--               as two), else its device;
--   channel     the largest acquisition value of its events: the registered person's channel
--               over the '' of the device's activity before registration;
--   entry/exit  the path of its first and last page view (by time, then path);
--   trail       (time, path of a page view or '' for any other event): time on page is the time
--               from a page view to the next event of the session, read from the sorted trail;
--   bounce      one page view and nothing but impressions besides.
-- Page views without a path count under '(not set)'.
CREATE TABLE IF NOT EXISTS sessions
(
    day                  Date,
    session_id           String,
    platform             SimpleAggregateFunction(any, LowCardinality(String)),
    anonymous_id         SimpleAggregateFunction(any, String),
    user_id              SimpleAggregateFunction(max, String),
    acquisition_group    SimpleAggregateFunction(max, LowCardinality(String)),
    acquisition_source   SimpleAggregateFunction(max, LowCardinality(String)),
    acquisition_campaign SimpleAggregateFunction(max, LowCardinality(String)),
    started_at           SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    ended_at             SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    events               SimpleAggregateFunction(sum, UInt64),
    page_views           SimpleAggregateFunction(sum, UInt64),
    interactions         SimpleAggregateFunction(sum, UInt64),
    entry_page           AggregateFunction(argMin, String, Tuple(DateTime64(3, 'UTC'), String)),
    exit_page            AggregateFunction(argMax, String, Tuple(DateTime64(3, 'UTC'), String)),
    trail                AggregateFunction(groupArray, Tuple(DateTime64(3, 'UTC'), String))
)
ENGINE = AggregatingMergeTree
ORDER BY (day, session_id)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS sessions_mv TO sessions AS
WITH if(page_path = '', '(not set)', page_path) AS viewed
SELECT
    toDate(session_started_at) AS day,
    session_id,
    any(platform) AS platform,
    any(anonymous_id) AS anonymous_id,
    max(user_id) AS user_id,
    max(acquisition_group) AS acquisition_group,
    max(acquisition_source) AS acquisition_source,
    max(acquisition_campaign) AS acquisition_campaign,
    min(occurred_at) AS started_at,
    max(occurred_at) AS ended_at,
    count() AS events,
    countIf(event = 'page_view') AS page_views,
    countIf(event NOT IN ('page_view', 'impression')) AS interactions,
    argMinStateIf(viewed, (occurred_at, viewed), event = 'page_view') AS entry_page,
    argMaxStateIf(viewed, (occurred_at, viewed), event = 'page_view') AS exit_page,
    groupArrayState((occurred_at, if(event = 'page_view', viewed, ''))) AS trail
FROM events
GROUP BY day, session_id;

-- Content per day × content × placement × acquisition channel × platform: impressions and
-- clicks (click-through = clicks ÷ impressions), reads (page views of it) and their readers,
-- shares and their sharers.
CREATE TABLE IF NOT EXISTS content_daily
(
    day                  Date,
    content_id           String,
    content_type         LowCardinality(String),
    placement            LowCardinality(String),
    acquisition_group    LowCardinality(String),
    acquisition_source   LowCardinality(String),
    acquisition_campaign LowCardinality(String),
    platform             LowCardinality(String),
    impressions          SimpleAggregateFunction(sum, UInt64),
    clicks               SimpleAggregateFunction(sum, UInt64),
    reads                SimpleAggregateFunction(sum, UInt64),
    shares               SimpleAggregateFunction(sum, UInt64),
    readers              AggregateFunction(uniqExact, String),
    sharers              AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (day, content_id, content_type, placement, acquisition_group, acquisition_source, acquisition_campaign, platform)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS content_daily_mv TO content_daily AS
SELECT
    toDate(occurred_at) AS day,
    content_id, content_type, placement,
    acquisition_group, acquisition_source, acquisition_campaign, platform,
    countIf(event = 'impression') AS impressions,
    countIf(event = 'click') AS clicks,
    countIf(event = 'page_view') AS reads,
    countIf(event = 'share') AS shares,
    uniqExactStateIf(person_key, event = 'page_view') AS readers,
    uniqExactStateIf(person_key, event = 'share') AS sharers
FROM events
WHERE content_id != ''
GROUP BY day, content_id, content_type, placement, acquisition_group, acquisition_source, acquisition_campaign, platform;
