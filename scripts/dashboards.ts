/**
 * `npm run dashboards:build`  write the Grafana dashboards (services/dashboards) as JSON into
 *                             infra/grafana/provisioning/dashboards/opstream/
 * `npm run dashboards:check`  fail when the JSON there is not what the definitions give
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { DASHBOARDS } from '@opstream/dashboards/dashboards/catalog'

const dir = fileURLToPath(new URL('../infra/grafana/provisioning/dashboards/opstream/', import.meta.url))
const text = (d: unknown) => `${JSON.stringify(d, null, 2)}\n`
const command = process.argv[2]

if (command === 'build') {
  for (const [file, d] of Object.entries(DASHBOARDS)) writeFileSync(`${dir}${file}`, text(d))
  process.stdout.write(`wrote ${Object.keys(DASHBOARDS).length} dashboards to ${dir}\n`)
} else if (command === 'check') {
  const failures: string[] = []
  const present = new Set(readdirSync(dir).filter((f) => f.endsWith('.json')))
  for (const [file, d] of Object.entries(DASHBOARDS)) {
    const current = present.has(file) ? readFileSync(`${dir}${file}`, 'utf8') : undefined
    if (current !== text(d)) failures.push(`${file} is stale: run npm run dashboards:build`)
    present.delete(file)
  }
  for (const file of present) failures.push(`${file} has no definition: delete it`)
  if (failures.length > 0) {
    process.stderr.write(`dashboards check failed:\n${failures.join('\n')}\n`)
    process.exit(1)
  }
  process.stdout.write(`dashboards ok: ${Object.keys(DASHBOARDS).length}, JSON current\n`)
} else {
  process.stderr.write('usage: dashboards.ts build|check\n')
  process.exit(2)
}
