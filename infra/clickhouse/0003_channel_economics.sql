-- What each channel or campaign code cost per day, from the channel catalog (channels topic).
-- A later catalog record for the same code and day replaces the amount.
CREATE TABLE IF NOT EXISTS channel_costs
(
    code          String,
    date          Date,
    amount        Decimal(18, 4),
    currency      LowCardinality(String),
    name          String,
    channel_group LowCardinality(String),
    owner         String,
    updated_at    DateTime64(3, 'UTC'),
    src_partition UInt32,
    src_offset    UInt64
)
ENGINE = ReplacingMergeTree(src_offset)
ORDER BY (code, date)
SETTINGS non_replicated_deduplication_window = 10000;

-- Per day (of the event) and acquisition channel, campaign and platform: the events and the
-- business steps of registered users. Kept by a view over `events`; deduplicated with it (the sink's tokens).
-- `cost_code` is the code a catalog cost is booked under: the campaign, else the source
-- (an app store's download-channel package).
CREATE TABLE IF NOT EXISTS channel_daily
(
    day                  Date,
    acquisition_group    LowCardinality(String),
    acquisition_source   LowCardinality(String),
    acquisition_campaign LowCardinality(String),
    cost_code            String,
    platform             LowCardinality(String),
    events               UInt64,
    registrations        UInt64,
    verifications        UInt64,
    card_bindings        UInt64,
    first_investments    UInt64,
    investments          UInt64,
    invested_amount      Decimal(38, 4),
    first_invested_amount Decimal(38, 4)
)
ENGINE = SummingMergeTree
ORDER BY (day, acquisition_group, acquisition_source, acquisition_campaign, cost_code, platform)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS channel_daily_mv TO channel_daily AS
SELECT
    toDate(occurred_at) AS day,
    acquisition_group,
    acquisition_source,
    acquisition_campaign,
    if(acquisition_campaign != '', acquisition_campaign, acquisition_source) AS cost_code,
    platform,
    count() AS events,
    countIf(event = 'register') AS registrations,
    countIf(event = 'real_name_verified') AS verifications,
    countIf(event = 'bind_card') AS card_bindings,
    countIf(nth_purchase = 1) AS first_investments,
    countIf(nth_purchase >= 1) AS investments,
    toDecimal128(sumIf(ifNull(amount, 0), nth_purchase >= 1), 4) AS invested_amount,
    toDecimal128(sumIf(ifNull(amount, 0), nth_purchase = 1), 4) AS first_invested_amount
FROM events
WHERE acquisition_group != ''
GROUP BY day, acquisition_group, acquisition_source, acquisition_campaign, cost_code, platform;
