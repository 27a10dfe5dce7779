import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type ChannelRules, channelRulesSchema } from '../core/channel-rules.ts'

export const DEFAULT_CHANNEL_RULES = fileURLToPath(
  new URL('../../config/channel-rules.json', import.meta.url),
)

/** Reads and validates a rules file; every problem is named with its path in the file. */
export function loadChannelRules(path: string = DEFAULT_CHANNEL_RULES): ChannelRules {
  const parsed = channelRulesSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((i) => `  ${i.path.map(String).join('.')}: ${i.message}`)
  throw new Error(`invalid channel rules in ${path}:\n${problems.join('\n')}`)
}
