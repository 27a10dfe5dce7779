-- Enriched events, one row per event_id (the sink writes each Kafka offset once: see
-- services/aggregate/src/adapters/clickhouse-sink.ts). Partitioned by month and ordered for the
-- dashboards' filters: day, event, acquisition channel, platform. Strings that may be absent are
-- '' rather than NULL, so they group and filter without NULL handling.
CREATE TABLE IF NOT EXISTS events
(
    event_id                UUID,
    event                   LowCardinality(String),
    occurred_at             DateTime64(3, 'UTC'),
    received_at             DateTime64(3, 'UTC'),
    anonymous_id            String,
    user_id                 String,
    person_key              String,
    platform                LowCardinality(String),
    app_id                  LowCardinality(String),
    app_version             LowCardinality(String),
    session_id              String,
    session_index           UInt32,
    session_channel_group   LowCardinality(String),
    channel_group           LowCardinality(String),
    channel_source          LowCardinality(String),
    channel_medium          LowCardinality(String),
    channel_campaign        LowCardinality(String),
    channel_keyword         String,
    first_touch_group       LowCardinality(String),
    first_touch_source      LowCardinality(String),
    first_touch_at          Nullable(DateTime64(3, 'UTC')),
    last_touch_group        LowCardinality(String),
    last_touch_source       LowCardinality(String),
    last_touch_campaign     LowCardinality(String),
    acquisition_group       LowCardinality(String),
    acquisition_source      LowCardinality(String),
    acquisition_campaign    LowCardinality(String),
    acquisition_name        LowCardinality(String),
    registered_at           Nullable(DateTime64(3, 'UTC')),
    linked_at               Nullable(DateTime64(3, 'UTC')),
    pre_registration        Bool,
    member_tier             LowCardinality(String),
    city                    LowCardinality(String),
    province                LowCardinality(String),
    asset_band              LowCardinality(String),
    amount                  Nullable(Decimal(18, 4)),
    currency                LowCardinality(String),
    order_id                String,
    product_id              LowCardinality(String),
    nth_purchase            Nullable(UInt32),
    cumulative_amount       Decimal(38, 4),
    first_purchase_at       Nullable(DateTime64(3, 'UTC')),
    days_since_registration Nullable(Int32),
    page_url                String,
    referrer                String,
    properties              Map(String, String),
    src_partition           UInt32,
    src_offset              UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (toDate(occurred_at), event, acquisition_group, platform, event_id)
SETTINGS non_replicated_deduplication_window = 10000;

-- Device → user links from register / login events: every link is kept; the first (by
-- linked_at) is the one that wins for the device's pre-registration activity.
CREATE TABLE IF NOT EXISTS identities
(
    anonymous_id String,
    user_id      String,
    linked_at    DateTime64(3, 'UTC'),
    event_id     UUID
)
ENGINE = ReplacingMergeTree
ORDER BY (anonymous_id, user_id, linked_at)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS identities_mv TO identities AS
SELECT anonymous_id, user_id, occurred_at AS linked_at, event_id
FROM events
WHERE user_id != '' AND event IN ('register', 'login', 'identify');

-- Current user attributes from the users topic (latest updated_at wins; deleted marks a tombstone).
CREATE TABLE IF NOT EXISTS users
(
    user_id       String,
    member_tier   LowCardinality(String),
    city          LowCardinality(String),
    province      LowCardinality(String),
    birthday      Nullable(Date),
    gender        LowCardinality(String),
    asset_band    LowCardinality(String),
    registered_at Nullable(DateTime64(3, 'UTC')),
    custom        Map(String, String),
    updated_at    DateTime64(3, 'UTC'),
    deleted       Bool,
    src_partition UInt32,
    src_offset    UInt64
)
ENGINE = ReplacingMergeTree(src_offset)
ORDER BY user_id
SETTINGS non_replicated_deduplication_window = 10000;
