import { fileURLToPath } from 'node:url'
import { loadSchemaCatalog, type SchemaCatalog } from './schema-catalog.ts'

/** Subject names of opstream's own schemas (the record full names). */
export const SUBJECTS = {
  event: 'opstream.Event',
  userProfile: 'opstream.UserProfile',
  channel: 'opstream.Channel',
  attributedEvent: 'opstream.AttributedEvent',
  enrichedEvent: 'opstream.EnrichedEvent',
  dlqRecord: 'opstream.DlqRecord',
  alert: 'opstream.Alert',
  trigger: 'opstream.Trigger',
} as const

/** The repository's schemas/ folder. */
export const SCHEMAS_DIR = fileURLToPath(new URL('../../../../schemas/', import.meta.url))

let builtIn: SchemaCatalog | undefined

/** The built-in catalog, loaded once per process. */
export function builtInCatalog(): SchemaCatalog {
  builtIn ??= loadSchemaCatalog(SCHEMAS_DIR)
  return builtIn
}
