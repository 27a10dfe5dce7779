/** Decimal amounts (4 places, as the contract carries them) as exact integer units, and back. */
export const units = (amount: string): bigint => BigInt(amount.replace('.', ''))
export const money = (u: bigint): string => `${u / 10_000n}.${(u % 10_000n).toString().padStart(4, '0')}`

/** A date as YYYY-MM-DD (UTC). */
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10)

/** Monday of a date's ISO week, as YYYY-MM-DD. */
export function monday(d: Date): string {
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))
  m.setUTCDate(m.getUTCDate() - ((m.getUTCDay() + 6) % 7))
  return isoDay(m)
}
