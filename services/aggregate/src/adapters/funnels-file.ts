import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type FunnelsFile, funnelsFileSchema } from '../core/funnel-config.ts'

export const DEFAULT_FUNNELS = fileURLToPath(new URL('../../config/funnels.json', import.meta.url))

/** Reads and validates a funnels file; every problem is named with its path in the file. */
export function loadFunnels(path: string = DEFAULT_FUNNELS): FunnelsFile {
  const parsed = funnelsFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((i) => `  ${i.path.map(String).join('.')}: ${i.message}`)
  throw new Error(`invalid funnels in ${path}:\n${problems.join('\n')}`)
}
