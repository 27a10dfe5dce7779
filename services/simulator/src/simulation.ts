/**
 * A run of the simulated platform: the channel catalog with each paid channel's daily costs,
 * then `historyDays` of history replayed as fast as ingest takes it (event times in the past,
 * each day's visitors spread over its hours as the platform's rhythm has them), then live
 * traffic at `rate` events a second until stopped. Journeys started in the history go on into
 * the live part (a first investment a few days after registering). What was sent is counted
 * into the truth as receivers acknowledge it.
 */
import { writeFileSync } from 'node:fs'
import { createSenders, MAX_CHUNK, type SenderOptions } from './adapters/senders.ts'
import { effectsOf, type Incident, parseIncident } from './core/incidents.ts'
import { journey, type Outgoing } from './core/journeys.ts'
import { CHANNELS, HOURLY, WEEKLY } from './core/platform-model.ts'
import { createRng, type Rng } from './core/rng.ts'
import { createSendQueue } from './core/send-queue.ts'
import { createTruth, type Truth } from './core/truth.ts'

const DAY = 86_400_000
const SHANGHAI = 8 * 3_600_000
/** Events a visitor's journey sends on average (measured over the model: ~6.9). */
const EVENTS_PER_VISITOR = 6.9
/** Whether live traffic follows the hours of the day in Shanghai or holds around the clock. */
export type Rhythm = 'daily' | 'flat'

/** The hours' mean factor: `rate` is the day's average. */
const HOURLY_MEAN = HOURLY.reduce((a, b) => a + b, 0) / HOURLY.length

export interface SimulationOptions extends SenderOptions {
  seed: number
  /** The platform's business: an internet-finance app (investments) or a shop (orders). */
  model?: 'finance' | 'ecommerce'
  historyDays: number
  /** New visitors a day (before the weekday's rhythm). */
  dailyVisitors: number
  /** Live events a second after the history, on average over the day; 0: stop after the history. */
  rate: number
  /** Whether the live rate follows the hours of the day (the default) or holds around the clock. */
  rhythm?: Rhythm
  incidents: readonly string[]
  /** Where the truth is written (after the history, and at the end). */
  truthFile?: string
  now?: () => number
  progress?: (p: Progress) => void
}

export interface Progress {
  phase: 'history' | 'live' | 'done'
  /** The simulated time reached (ms). */
  clock: number
  sent: number
  failed: number
  lastError?: string
  queued: number
}

export interface Simulation {
  done: Promise<Truth>
  /** Adds an incident from now on (as --incident does). */
  incident(text: string): Incident
  stop(): Promise<Truth>
  truth(): Truth
}

/** New live visitors a second for `rate` events a second at an hour (0–23) of Shanghai's day. */
export function liveVisitors(rate: number, rhythm: Rhythm, hour: number): number {
  const factor = rhythm === 'flat' ? 1 : (HOURLY[hour] as number) / HOURLY_MEAN
  return (rate / EVENTS_PER_VISITOR) * factor
}

/** A visitor's start within the day beginning at `dayStart` (UTC), by the hourly rhythm in Shanghai. */
function startIn(rng: Rng, dayStart: number): number {
  const hour = rng.weighted(
    HOURLY.map((_, h) => h),
    (h) => HOURLY[h] as number,
  )
  // Hour h in Shanghai is UTC hour h − 8; keep it inside this UTC day.
  return dayStart + ((((hour * 3_600_000 - SHANGHAI) % DAY) + DAY) % DAY) + rng.int(0, 3_599_999)
}

function weekdayFactor(dayStart: number): number {
  const weekday = (new Date(dayStart + SHANGHAI).getUTCDay() + 6) % 7
  return WEEKLY[weekday] as number
}

export function startSimulation(opts: SimulationOptions): Simulation {
  const now = opts.now ?? Date.now
  const rng = createRng(opts.seed)
  const incidents: Incident[] = opts.incidents.map((i) => parseIncident(i, now()))
  let effects = effectsOf(incidents)
  const queue = createSendQueue()
  const truth = createTruth(opts.seed)
  const progress: Progress = { phase: 'history', clock: now(), sent: 0, failed: 0, queued: 0 }
  let stopped = false
  let visitors = 0
  let wake: (() => void) | undefined

  const visit = (start: number) => {
    const channel = rng.weighted(CHANNELS, (c) => c.share * effects.trafficFactor(c.key, start))
    const id = `${opts.seed}-${visitors++}`
    for (const o of journey({ id, channel, start, rng: rng.fork(), model: opts.model ?? 'finance' }, effects))
      queue.push(o)
  }
  const report = () => {
    progress.queued = queue.size
    opts.progress?.({ ...progress })
  }
  const writeTruth = () => {
    if (opts.truthFile) writeFileSync(opts.truthFile, `${JSON.stringify(truth.snapshot(), null, 2)}\n`)
  }

  const run = async (): Promise<Truth> => {
    const senders = await createSenders(opts)
    const sendDue = async (until: number) => {
      for (let due = queue.takeDue(until, MAX_CHUNK); due.length > 0; due = queue.takeDue(until, MAX_CHUNK)) {
        await senders.send(due, (o, ok, error) => {
          if (ok) {
            progress.sent += 1
            truth.sent(o)
          } else {
            progress.failed += 1
            if (error) progress.lastError = error
          }
        })
        progress.clock = (due[due.length - 1] as Outgoing).sendAt
        report()
        if (stopped) return
      }
    }
    try {
      const first = Math.floor(now() / DAY) * DAY - opts.historyDays * DAY
      await senders.feed('channels', catalog(first, Math.floor(now() / DAY) * DAY + 7 * DAY, effects))
      // History: day by day up to now, each day's messages sent before the next day's are made.
      for (let day = first; day < now() && !stopped; day += DAY) {
        const count = Math.round(opts.dailyVisitors * weekdayFactor(day))
        for (let i = 0; i < count; i++) {
          const start = startIn(rng, day)
          if (start < now()) visit(start)
        }
        await sendDue(Math.min(day + DAY, now()))
      }
      writeTruth()
      progress.phase = 'live'
      // Live: each second the visitors of that second (by the hour's rhythm), then what is due.
      let owed = 0
      while (!stopped && opts.rate > 0) {
        const t = now()
        const hour = new Date(t + SHANGHAI).getUTCHours()
        owed += liveVisitors(opts.rate, opts.rhythm ?? 'daily', hour)
        for (; owed >= 1; owed -= 1) visit(t + rng.int(0, 999))
        await sendDue(now())
        progress.clock = now()
        report()
        await new Promise<void>((resolve) => {
          wake = resolve
          setTimeout(resolve, 1_000).unref()
        })
      }
    } finally {
      await senders.close()
      progress.phase = 'done'
      report()
      writeTruth()
    }
    return truth.snapshot()
  }

  const done = run()
  return {
    done,
    incident(text) {
      const i = parseIncident(text, now())
      incidents.push(i)
      effects = effectsOf(incidents)
      return i
    },
    async stop() {
      stopped = true
      wake?.()
      return done
    },
    truth: () => truth.snapshot(),
  }
}

/** The catalog: every paid channel with its daily cost for each day of [from, to). */
function catalog(from: number, to: number, effects: ReturnType<typeof effectsOf>) {
  return CHANNELS.filter((c) => c.dailyCost !== undefined).map((c) => ({
    code: c.expect.costCode,
    name: c.key,
    channel_group: c.expect.group,
    owner: 'growth',
    costs: Array.from({ length: Math.round((to - from) / DAY) }, (_, i) => ({
      date: new Date(from + i * DAY).toISOString().slice(0, 10),
      amount: ((c.dailyCost as number) * effects.costFactor(c.key, from + i * DAY)).toFixed(2),
      currency: 'CNY',
    })),
  }))
}
