/**
 * Imports the channel catalog and daily costs from a CSV file (see core/channel-csv.ts) into
 * the channels topic, through ingest's POST /v1/channels (same validation, rejects kept in the DLQ).
 *
 *   npm run channels:import -- costs.csv [--url http://127.0.0.1:8080] [--write-key KEY]
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { channelsFromCsv } from './core/channel-csv.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    'write-key': { type: 'string', default: 'dev-write-key' },
  },
})
const file = positionals[0]
if (!file) {
  process.stderr.write('usage: channels:import -- FILE.csv [--url URL] [--write-key KEY]\n')
  process.exit(2)
}
const { channels, errors } = channelsFromCsv(readFileSync(file, 'utf8'))
if (errors.length > 0) {
  process.stderr.write(`${file}: nothing imported:\n${errors.map((e) => `  ${e}`).join('\n')}\n`)
  process.exit(1)
}
let imported = 0
const rejected: string[] = []
for (let i = 0; i < channels.length; i += 500) {
  const chunk = channels.slice(i, i + 500)
  const res = await fetch(`${values.url}/v1/channels`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${values['write-key']}:`).toString('base64')}`,
    },
    body: JSON.stringify({ channels: chunk }),
  })
  const body = (await res.json()) as {
    accepted?: number
    rejected?: Array<{ index: number; reason: string }>
    error?: string
  }
  if (res.status !== 200) {
    process.stderr.write(
      `${values.url} answered ${res.status}: ${body.error ?? ''}; ${imported} channels imported before\n`,
    )
    process.exit(1)
  }
  imported += body.accepted ?? 0
  for (const r of body.rejected ?? []) rejected.push(`${chunk[r.index]?.code}: ${r.reason}`)
  process.stdout.write(`imported ${imported} of ${channels.length} channels\n`)
}
if (rejected.length > 0) {
  process.stderr.write(`rejected (kept in the DLQ):\n${rejected.map((r) => `  ${r}`).join('\n')}\n`)
  process.exit(1)
}
