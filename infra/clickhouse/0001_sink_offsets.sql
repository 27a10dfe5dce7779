-- The last Kafka offsets whose rows are in ClickHouse, per consumer group and partition.
-- A sink that restarts after a crash compares a redelivered batch with this table, so a
-- batch that was already written is recognised and not written twice.
CREATE TABLE IF NOT EXISTS sink_offsets
(
    consumer_group LowCardinality(String),
    topic          LowCardinality(String),
    partition      UInt32,
    first_offset   UInt64,
    last_offset    UInt64,
    row_count      UInt32,
    written_at     DateTime64(3) DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(last_offset)
ORDER BY (consumer_group, topic, partition);
