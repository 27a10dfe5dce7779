import { fileURLToPath } from 'node:url'
import { loadJsonConfig } from '@opstream/runtime/json-config'
import { type AlertRules, alertRulesSchema } from '../core/alert-rules.ts'

export const DEFAULT_RULES = fileURLToPath(new URL('../../config/alert-rules.json', import.meta.url))

/** Reads and validates an alert rules file; every problem is named with its path in the file. */
export function loadAlertRules(path: string = DEFAULT_RULES): AlertRules {
  return loadJsonConfig(path, alertRulesSchema, 'alert rules')
}
