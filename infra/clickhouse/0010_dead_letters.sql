-- Every record on the dead-letter topic, written by the aggregate like any other topic: when,
-- which service turned the message away, the kind and reason, where the message came from, and
-- its size. The original bytes stay on the topic (where a replay reads them); this table is for
-- looking: the latest reasons, and which reasons and sources are growing.
CREATE TABLE IF NOT EXISTS dead_letters
(
    failed_at        DateTime64(3, 'UTC'),
    service          LowCardinality(String),
    error_kind       LowCardinality(String),
    reason           String,
    source_topic     LowCardinality(String),
    source_partition Int32,
    source_offset    Int64,
    key_bytes        UInt32,
    value_bytes      UInt32,
    src_partition    UInt32,
    src_offset       UInt64
)
ENGINE = ReplacingMergeTree
ORDER BY (src_partition, src_offset)
TTL toDateTime(failed_at) + INTERVAL 90 DAY
SETTINGS non_replicated_deduplication_window = 10000;
