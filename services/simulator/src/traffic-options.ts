/**
 * The traffic flags `npm run simulate` and `npm start` share — what platform, how much history,
 * how much live traffic, which incidents — as parseArgs options, and their values checked into
 * a simulation's options (every bad value refused with its flag).
 */
import { parseSpan } from './core/span.ts'
import type { SimulationOptions } from './simulation.ts'

export const TRAFFIC_OPTIONS = {
  history: { type: 'string', default: '0d' },
  rate: { type: 'string', default: '50' },
  daily: { type: 'string', default: '3000' },
  seed: { type: 'string', default: '1' },
  model: { type: 'string', default: 'finance' },
  incident: { type: 'string', multiple: true, default: [] as string[] },
} as const

export interface TrafficValues {
  history: string
  rate: string
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
): Pick<SimulationOptions, 'seed' | 'model' | 'historyDays' | 'dailyVisitors' | 'rate' | 'incidents'> {
  if (v.model !== 'finance' && v.model !== 'ecommerce')
    throw new Error(`--model ${v.model}: finance or ecommerce`)
  return {
    seed: number('seed', v.seed, 0),
    model: v.model,
    historyDays: parseSpan(v.history, 'd') / 86_400_000,
    dailyVisitors: number('daily', v.daily, 1),
    rate: number('rate', v.rate, 0),
    incidents: v.incident,
  }
}
