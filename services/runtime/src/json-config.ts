/**
 * Reads a JSON configuration file (funnels, alert rules, channel rules) and validates it; every
 * problem is named with its path in the file, e.g. "invalid alert rules in x.json:\n  rules.0.window: …".
 * A file that cannot be read or is not JSON is named too.
 */
import { readFileSync } from 'node:fs'
import type { z } from 'zod'

export function loadJsonConfig<S extends z.ZodType>(path: string, schema: S, what: string): z.output<S> {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new Error(`cannot read ${what} from ${path}: ${(err as Error).message}`)
  }
  const parsed = schema.safeParse(json)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((i) => `  ${i.path.map(String).join('.')}: ${i.message}`)
  throw new Error(`invalid ${what} in ${path}:\n${problems.join('\n')}`)
}
