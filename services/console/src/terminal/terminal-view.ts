/**
 * The live view of `npm start` in a terminal: the screen redrawn every `intervalMs` from the
 * numbers in ClickHouse; where stdout is no terminal (CI, a pipe, a file), one plain line every
 * `plainEveryMs` instead. A failed read is shown on the view and the next one tries again.
 */
import type { ClickHouseClient } from '@opstream/runtime/clickhouse-client'
import { renderLine, renderView, type ViewState } from './render-view.ts'
import { readView } from './view-data.ts'

export interface TerminalViewOptions {
  reader: ClickHouseClient
  prefix: string
  addresses: Array<[string, string]>
  simulator: () => ViewState['simulator']
  out: NodeJS.WriteStream
  intervalMs?: number
  plainEveryMs?: number
}

export function startTerminalView(opts: TerminalViewOptions): { stop(): Promise<void> } {
  const tty = opts.out.isTTY === true
  const interval = tty ? (opts.intervalMs ?? 2_000) : (opts.plainEveryMs ?? 15_000)
  let last: Omit<ViewState, 'simulator' | 'addresses' | 'problem' | 'at'> = {
    stages: [],
    dlq: { total: null, latestReason: null, latestAt: null },
    today: [],
    alerts: [],
  }
  let running: Promise<void> = Promise.resolve()
  const tick = async () => {
    const now = new Date()
    let problem: string | null = null
    try {
      last = await readView(opts.reader, { prefix: opts.prefix, now })
    } catch (err) {
      problem = `reading ClickHouse: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`
    }
    const state: ViewState = {
      ...last,
      at: now,
      simulator: opts.simulator(),
      addresses: opts.addresses,
      problem,
    }
    if (tty) opts.out.write(`\x1b[H\x1b[J${renderView(state, opts.out.columns ?? 100).join('\n')}\n`)
    else opts.out.write(`${renderLine(state)}\n`)
  }
  if (tty) opts.out.write('\x1b[?25l')
  const timer = setInterval(() => {
    running = running.then(tick)
  }, interval)
  running = running.then(tick)
  return {
    async stop() {
      clearInterval(timer)
      await running
      if (tty) opts.out.write('\x1b[?25h')
    },
  }
}
