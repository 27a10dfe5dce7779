/**
 * The traffic flags `npm run simulate` and `npm start` share — what platform, how much history,
 * how much live traffic, which incidents — as parseArgs options, and their values checked into
 * a simulation's options (every bad value refused with its flag).
 */
import { CHANNELS } from './core/platform-model.ts'
import { parseSpan } from './core/span.ts'
import type { SimulationOptions } from './simulation.ts'

export const TRAFFIC_OPTIONS = {
  history: { type: 'string', default: '0d' },
  rate: { type: 'string', default: '50' },
  rhythm: { type: 'string', default: 'daily' },
  daily: { type: 'string', default: '3000' },
  seed: { type: 'string', default: '1' },
  model: { type: 'string', default: 'finance' },
  incident: { type: 'string', multiple: true, default: [] as string[] },
} as const

/** The shared flags explained, for `--help`. */
export const TRAFFIC_USAGE = `Traffic (the simulated platform):
  --history SPAN     days replayed before going live, as fast as ingest takes them (28d; default 0d)
  --rate N           live events a second after the history, on average over the day; 0 stops
                     after it (default 50)
  --rhythm KIND      daily: the live rate follows the hours of the day in Asia/Shanghai (a tenth
                     of it at night, more in the evening); flat: the same rate around the clock
                     (default daily)
  --daily N          visitors a day in the history (default 3000)
  --seed N           the model's seed: the same seed sends the same traffic (default 1)
  --model NAME       finance (an internet-finance platform) or ecommerce (a shop) (default finance)
  --incident SPEC    from the moment given, repeatable:
                       conversion:CHANNEL:PLATFORM[:FACTOR]  card binding × 0.1
                       outage:PLATFORM[:MINUTES]             the platform's tracking lost
                       spike:CHANNEL[:FACTOR]                visitors × 5
                       cost:CHANNEL[:FACTOR]                 daily cost × 3
                       broken:PLATFORM[:SHARE]               impressions ingest refuses (DLQ)
                     PLATFORM: web, h5, ios, android, miniprogram
                     CHANNEL: ${wrap(CHANNELS.map((c) => c.key).join(', '), 30)}`

function wrap(text: string, indent: number): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > 99 - indent) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  return [...lines, line].join(`\n${' '.repeat(indent)}`)
}

export interface TrafficValues {
  history: string
  rate: string
  rhythm: string
  daily: string
  seed: string
  model: string
  incident: string[]
}

function number(name: string, text: string, min: number): number {
  const n = Number(text)
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} ${text}: a number ≥ ${min}`)
  return n
}

export function trafficOf(
  v: TrafficValues,
): Pick<
  SimulationOptions,
  'seed' | 'model' | 'historyDays' | 'dailyVisitors' | 'rate' | 'rhythm' | 'incidents'
> {
  if (v.model !== 'finance' && v.model !== 'ecommerce')
    throw new Error(`--model ${v.model}: finance or ecommerce`)
  if (v.rhythm !== 'daily' && v.rhythm !== 'flat') throw new Error(`--rhythm ${v.rhythm}: daily or flat`)
  return {
    seed: number('seed', v.seed, 0),
    model: v.model,
    historyDays: parseSpan(v.history, 'd') / 86_400_000,
    dailyVisitors: number('daily', v.daily, 1),
    rate: number('rate', v.rate, 0),
    rhythm: v.rhythm,
    incidents: v.incident,
  }
}
