import type avro from 'avsc'
import type { SchemaCatalog } from './schema-catalog.ts'

export interface CompatibilityProblem {
  subject: string
  from: number
  to: number
  direction: 'backward' | 'forward'
  /** Each names a field path and what is wrong with it. */
  details: string[]
}

/**
 * The evolution rule: the newest version of every subject must be readable by the previous
 * version's reader (forward) and must read what the previous version wrote (backward), so
 * producers and consumers can be upgraded in either order.
 */
export function checkCompatibility(catalog: SchemaCatalog): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = []
  for (const subject of catalog.subjects()) {
    const versions = catalog.versions(subject)
    const newest = versions[versions.length - 1]
    const previous = versions[versions.length - 2]
    if (!newest || !previous) continue
    const pairs = [
      { direction: 'backward' as const, reader: newest.type, writer: previous.type },
      { direction: 'forward' as const, reader: previous.type, writer: newest.type },
    ]
    for (const { direction, reader, writer } of pairs) {
      const details = incompatibilities(reader, writer, subject)
      if (details.length > 0)
        problems.push({ subject, from: previous.version, to: newest.version, direction, details })
    }
  }
  return problems
}

export function formatProblem(p: CompatibilityProblem): string {
  const who =
    p.direction === 'backward'
      ? `v${p.to} cannot read data written with v${p.from}`
      : `v${p.from} readers cannot read data written with v${p.to}`
  return `${p.subject}: ${who}:\n${p.details.map((d) => `    ${d}`).join('\n')}`
}

/** Field-level reasons why `reader` cannot resolve `writer`; empty when it can. */
export function incompatibilities(reader: avro.Type, writer: avro.Type, path: string): string[] {
  try {
    reader.createResolver(writer)
    return []
  } catch (err) {
    const r = unwrapNullable(reader)
    const w = unwrapNullable(writer)
    if (r.typeName === 'record' && w.typeName === 'record') {
      const details: string[] = []
      const writerFields = new Map((w as avro.types.RecordType).fields.map((f) => [f.name, f]))
      for (const field of (r as avro.types.RecordType).fields) {
        const wf = [field.name, ...field.aliases].map((n) => writerFields.get(n)).find((f) => f !== undefined)
        if (!wf) {
          if (field.defaultValue() === undefined)
            details.push(`${path}.${field.name}: not in the writer's schema and has no default`)
          continue
        }
        details.push(...incompatibilities(field.type, wf.type, `${path}.${field.name}`))
      }
      if (details.length > 0) return details
    }
    return [
      `${path}: ${writer.typeName} cannot be read as ${reader.typeName} (${(err as Error).message.split('\n')[0]})`,
    ]
  }
}

function unwrapNullable(t: avro.Type): avro.Type {
  if (t.typeName !== 'union:unwrapped' && t.typeName !== 'union:wrapped') return t
  const types = (t as avro.types.UnwrappedUnionType).types.filter((x) => x.typeName !== 'null')
  return types.length === 1 ? (types[0] as avro.Type) : t
}
