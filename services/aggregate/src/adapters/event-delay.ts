import type { EventRow } from '../core/event-row.ts'

/**
 * The event-to-table delay: for each INSERT into `events`, the seconds from ingest receiving its
 * newest event to the row being written; the largest since the last sample is what a sample
 * takes. No INSERT since, no value (an idle pipeline has no delay to report).
 */
export function createEventDelay(now: () => number = Date.now) {
  let worst: number | null = null
  return {
    observe(rows: readonly EventRow[]): void {
      let newest = ''
      // ClickHouse DateTime64 text in UTC: lexical order is time order.
      for (const r of rows) if (r.received_at > newest) newest = r.received_at
      if (newest === '') return
      const seconds = Math.max(0, (now() - Date.parse(`${newest.replace(' ', 'T')}Z`)) / 1000)
      worst = worst === null ? seconds : Math.max(worst, seconds)
    },
    take(): number | null {
      const out = worst
      worst = null
      return out
    },
  }
}
