/** `28d`, `12h`, `90m`, `30s` (a bare number: days for --history, seconds for --duration) in ms. */
export function parseSpan(text: string, bare: 'd' | 's'): number {
  const m = /^(\d+(?:\.\d+)?)([dhms]?)$/.exec(text.trim())
  if (!m) throw new Error(`"${text}" is not a span such as 7d, 12h, 30m or 45s`)
  const unit = (m[2] || bare) as 'd' | 'h' | 'm' | 's'
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 }[unit]
}
