import { fileURLToPath } from 'node:url'
import { loadJsonConfig } from '@opstream/runtime/json-config'
import { type ChannelRules, channelRulesSchema } from '../core/channel-rules.ts'

export const DEFAULT_CHANNEL_RULES = fileURLToPath(
  new URL('../../config/channel-rules.json', import.meta.url),
)

/** Reads and validates a rules file; every problem is named with its path in the file. */
export function loadChannelRules(path: string = DEFAULT_CHANNEL_RULES): ChannelRules {
  return loadJsonConfig(path, channelRulesSchema, 'channel rules')
}
