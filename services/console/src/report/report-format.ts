/** How the report writes its numbers: counts grouped by thousands, money to 2 places, rates in %. */
type Value = number | string | null | undefined

export function formatValue(key: string, v: Value): string {
  if (v === null || v === undefined || v === '') return '–'
  const n = Number(v)
  if (key === 'conversion') return `${(n * 100).toFixed(2)}%`
  if (Number.isInteger(n) && typeof v === 'number') return n.toLocaleString('en')
  return n.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}

/** The relative change from `before` to `now`, as +12.3% / −4.0%; – when undefined. */
export function formatChange(now: Value, before: Value): string {
  if (now === null || now === undefined || before === null || before === undefined || Number(before) === 0)
    return '–'
  const c = ((Number(now) - Number(before)) / Math.abs(Number(before))) * 100
  return `${c >= 0 ? '+' : '−'}${Math.abs(c).toFixed(1)}%`
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
