export interface EventVolumeRow {
  day: string
  event: string
  channel_group: string
  platform: string
  events: number
  amount: string
}

/** Events per day by name, visit channel group and platform, from the `events_hourly` rollup. */
export const EVENT_VOLUME_SQL = `
SELECT toString(toDate(hour)) AS day, event, channel_group, platform,
  toUInt32(sum(events)) AS events, toDecimalString(sum(amount), 4) AS amount
FROM events_hourly
WHERE hour >= toDateTime({from:Date}) AND hour < toDateTime({to:Date}) + INTERVAL 1 DAY
GROUP BY day, event, channel_group, platform
ORDER BY day, event, channel_group, platform`
