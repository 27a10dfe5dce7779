import { fileURLToPath } from 'node:url'
import { confluentRegistry, fileRegistry, type SchemaRegistry } from './registry.ts'
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

/** The registry the configuration asks for: a Confluent-compatible server, or the built-in one. */
export function schemaRegistryFor(config: {
  SCHEMA_REGISTRY_URL?: string | undefined
  SCHEMA_REGISTRY_USER?: string | undefined
  SCHEMA_REGISTRY_PASSWORD?: string | undefined
}): { registry: SchemaRegistry; builtIn: SchemaCatalog | undefined } {
  if (config.SCHEMA_REGISTRY_URL) {
    return {
      registry: confluentRegistry({
        url: config.SCHEMA_REGISTRY_URL,
        ...(config.SCHEMA_REGISTRY_USER ? { username: config.SCHEMA_REGISTRY_USER } : {}),
        ...(config.SCHEMA_REGISTRY_PASSWORD ? { password: config.SCHEMA_REGISTRY_PASSWORD } : {}),
      }),
      builtIn: undefined,
    }
  }
  const catalog = builtInCatalog()
  return { registry: fileRegistry(catalog), builtIn: catalog }
}
