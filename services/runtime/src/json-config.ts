import { readFileSync } from 'node:fs'
import type { z } from 'zod'

/**
 * Reads a JSON configuration file (funnels, alert rules) and validates it; every problem is
 * named with its path in the file, e.g. "invalid alert rules in x.json:\n  rules.0.window: …".
 */
export function loadJsonConfig<S extends z.ZodType>(path: string, schema: S, what: string): z.output<S> {
  const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((i) => `  ${i.path.map(String).join('.')}: ${i.message}`)
  throw new Error(`invalid ${what} in ${path}:\n${problems.join('\n')}`)
}
