/**
 * TypeScript types for the latest version of every subject, generated with @ovotech/avro-ts.
 * One file per subject, named after its schema folder; the logical types map to their
 * documented JavaScript representations (logical-types.ts).
 */
import { toTypeScript } from '@ovotech/avro-ts'
import type { SchemaCatalog } from './schema-catalog.ts'

export const GENERATED_HEADER =
  '// Generated from schemas/ by `npm run schemas:types`. Do not edit: change the .avsc and regenerate.\n'

export function generateTypes(
  catalog: SchemaCatalog,
  fileOf: (subject: string) => string,
): Map<string, string> {
  const out = new Map<string, string>()
  const warn = console.warn
  // avro-ts drives the TypeScript factory API through calls that TypeScript 5 reports as deprecated.
  console.warn = () => {}
  try {
    for (const subject of catalog.subjects()) {
      const latest = catalog.get(subject, 'latest')
      if (!latest) continue
      const ts = toTypeScript(latest.schema as Parameters<typeof toTypeScript>[0], {
        logicalTypes: { 'timestamp-millis': 'Date', decimal: 'string', uuid: 'string' },
      })
      out.set(fileOf(subject), `${GENERATED_HEADER}${ts}`)
    }
  } finally {
    console.warn = warn
  }
  return out
}
