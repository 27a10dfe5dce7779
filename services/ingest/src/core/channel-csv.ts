/**
 * The channel catalog as a spreadsheet: one row per channel code and day of cost.
 *
 *   code,name,channel_group,owner,date,amount,currency
 *   tt-double11,头条信息流-双11,Paid Social,growth,2026-11-11,12000.50,CNY
 *   tt-double11,头条信息流-双11,Paid Social,growth,2026-11-12,9800,CNY
 *   bd-brand,百度品牌专区,Paid Search,sem,,,
 *
 * Rows of one code become one catalog entry with all its dated costs (a row without a date is
 * the entry alone). The channels topic keeps the latest entry per code, so a file must hold the
 * whole cost history of each code it names. Name, group and owner must agree across a code's rows.
 */
import { parse } from 'csv-parse/sync'

export interface ChannelRow {
  code: string
  name: string
  channel_group: string
  owner: string | null
  costs: Array<{ date: string; amount: string; currency: string }>
}

const COLUMNS = ['code', 'name', 'channel_group', 'owner', 'date', 'amount', 'currency'] as const

export function channelsFromCsv(text: string): { channels: ChannelRow[]; errors: string[] } {
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Array<
    Record<string, string>
  >
  const errors: string[] = []
  const header = records.length > 0 ? Object.keys(records[0] as object) : []
  const missing = COLUMNS.filter((c) => !header.includes(c) && c !== 'owner' && c !== 'currency')
  if (records.length > 0 && missing.length > 0)
    return { channels: [], errors: [`missing columns: ${missing.join(', ')}`] }
  const byCode = new Map<string, ChannelRow>()
  records.forEach((r, i) => {
    const line = i + 2
    const code = r.code ?? ''
    if (!code) {
      errors.push(`line ${line}: code is empty`)
      return
    }
    const entry: ChannelRow = byCode.get(code) ?? {
      code,
      name: r.name ?? '',
      channel_group: r.channel_group ?? '',
      owner: r.owner ? r.owner : null,
      costs: [],
    }
    if (
      entry.name !== (r.name ?? '') ||
      entry.channel_group !== (r.channel_group ?? '') ||
      entry.owner !== (r.owner ? r.owner : null)
    ) {
      errors.push(`line ${line}: name, channel_group or owner differ from an earlier row of ${code}`)
      return
    }
    if (r.date || r.amount)
      entry.costs.push({ date: r.date ?? '', amount: r.amount ?? '', currency: r.currency || 'CNY' })
    byCode.set(code, entry)
  })
  return { channels: [...byCode.values()], errors }
}
