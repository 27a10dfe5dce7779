/**
 * The schemas in `schemas/`: every released version of every subject, with its stable id.
 * `registry.json` is the index; ids are assigned once and never reused or changed.
 *
 * A version may reference other subjects' versions (Confluent schema references) for named
 * types it reuses — the enriched event reuses the event envelope. What is served and used is
 * the expanded schema: references inlined, so every id stands alone for tools that do not
 * follow references (ClickHouse's AvroConfluent, kcat).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type avro from 'avsc'
import { z } from 'zod'
import { avroType } from './logical-types.ts'

const indexSchema = z.object({
  subjects: z.array(
    z.object({
      subject: z.string().min(1),
      versions: z.array(
        z.object({
          version: z.number().int().positive(),
          id: z.number().int().positive(),
          file: z.string().min(1),
          references: z
            .array(z.object({ subject: z.string(), version: z.number().int().positive() }))
            .default([]),
        }),
      ),
    }),
  ),
})

export interface SchemaVersion {
  subject: string
  version: number
  id: number
  /** The expanded schema, as served: references inlined. */
  schema: avro.Schema
  text: string
  type: avro.Type
}

export class SchemaCatalog {
  private readonly byId = new Map<number, SchemaVersion>()
  private readonly bySubject = new Map<string, SchemaVersion[]>()

  constructor(versions: readonly SchemaVersion[]) {
    for (const v of versions) {
      if (this.byId.has(v.id)) throw new Error(`schema id ${v.id} is used twice`)
      this.byId.set(v.id, v)
      const list = this.bySubject.get(v.subject) ?? []
      if (v.version !== list.length + 1) throw new Error(`${v.subject}: version ${v.version} out of sequence`)
      list.push(v)
      this.bySubject.set(v.subject, list)
    }
  }

  subjects(): string[] {
    return [...this.bySubject.keys()].sort()
  }

  versions(subject: string): SchemaVersion[] {
    return this.bySubject.get(subject) ?? []
  }

  get(subject: string, version: number | 'latest'): SchemaVersion | undefined {
    const list = this.versions(subject)
    return version === 'latest' ? list[list.length - 1] : list[version - 1]
  }

  byIdOrUndefined(id: number): SchemaVersion | undefined {
    return this.byId.get(id)
  }
}

/** Loads `dir/registry.json` and every file it names; fails on any inconsistency. */
export function loadSchemaCatalog(dir: string): SchemaCatalog {
  const index = indexSchema.parse(JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8')))
  const raw = new Map<
    string,
    { schema: avro.Schema; references: Array<{ subject: string; version: number }> }
  >()
  for (const s of index.subjects) {
    for (const v of s.versions) {
      raw.set(key(s.subject, v.version), {
        schema: JSON.parse(readFileSync(join(dir, v.file), 'utf8')) as avro.Schema,
        references: v.references,
      })
    }
  }
  const expanded = new Map<string, avro.Schema>()
  const expand = (subject: string, version: number, trail: string[]): avro.Schema => {
    const k = key(subject, version)
    const done = expanded.get(k)
    if (done) return done
    if (trail.includes(k)) throw new Error(`schema references form a cycle: ${[...trail, k].join(' -> ')}`)
    const entry = raw.get(k)
    if (!entry) throw new Error(`reference to ${k}, which is not in registry.json`)
    const named = new Map<string, unknown>()
    for (const ref of entry.references)
      collectNamed(expand(ref.subject, ref.version, [...trail, k]), undefined, named)
    const result = inlineReferences(entry.schema, named)
    expanded.set(k, result)
    return result
  }
  const versions: SchemaVersion[] = []
  for (const s of index.subjects) {
    for (const v of s.versions) {
      const schema = expand(s.subject, v.version, [])
      let type: avro.Type
      try {
        type = avroType(schema)
      } catch (err) {
        throw new Error(`${s.subject} v${v.version} (${v.file}) is not a valid schema`, { cause: err })
      }
      versions.push({
        subject: s.subject,
        version: v.version,
        id: v.id,
        schema,
        text: JSON.stringify(schema),
        type,
      })
    }
  }
  return new SchemaCatalog(versions)
}

function key(subject: string, version: number): string {
  return `${subject}@${version}`
}

type Json = unknown

function fullName(name: string, namespace: string | undefined): string {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`
}

/** Records every named type (record, enum, fixed) of a schema by full name, with its namespace made explicit. */
function collectNamed(node: Json, namespace: string | undefined, out: Map<string, unknown>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectNamed(n, namespace, out)
    return
  }
  if (node === null || typeof node !== 'object') return
  const o = node as Record<string, Json>
  let ns = namespace
  if (typeof o.name === 'string' && (o.type === 'record' || o.type === 'enum' || o.type === 'fixed')) {
    ns =
      typeof o.namespace === 'string'
        ? o.namespace
        : o.name.includes('.')
          ? o.name.slice(0, o.name.lastIndexOf('.'))
          : namespace
    const full = fullName(o.name, ns)
    if (!out.has(full))
      out.set(full, { ...o, name: full.slice(full.lastIndexOf('.') + 1), ...(ns ? { namespace: ns } : {}) })
  }
  if (Array.isArray(o.fields))
    for (const f of o.fields as Array<Record<string, Json>>) collectNamed(f.type, ns, out)
  if (o.items !== undefined) collectNamed(o.items, ns, out)
  if (o.values !== undefined) collectNamed(o.values, ns, out)
  if (o.type !== undefined && typeof o.type === 'object') collectNamed(o.type, ns, out)
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'])

/** Replaces the first use of each referenced named type by its definition; later uses stay names. */
function inlineReferences(schema: avro.Schema, named: Map<string, unknown>): avro.Schema {
  const defined = new Set<string>()
  const walk = (node: Json, namespace: string | undefined): Json => {
    if (typeof node === 'string') {
      if (PRIMITIVES.has(node)) return node
      const full = fullName(node, namespace)
      const candidates = [full, node]
      const found = candidates.find((c) => named.has(c))
      if (found && !defined.has(found)) {
        defined.add(found)
        const def = named.get(found) as Record<string, Json>
        return walk(def, typeof def.namespace === 'string' ? def.namespace : namespace)
      }
      return node
    }
    if (Array.isArray(node)) return node.map((n) => walk(n, namespace))
    if (node === null || typeof node !== 'object') return node
    const o = { ...(node as Record<string, Json>) }
    let ns = namespace
    if (typeof o.name === 'string' && (o.type === 'record' || o.type === 'enum' || o.type === 'fixed')) {
      ns = typeof o.namespace === 'string' ? o.namespace : namespace
      defined.add(fullName(o.name, ns))
    }
    if (Array.isArray(o.fields))
      o.fields = (o.fields as Array<Record<string, Json>>).map((f) => ({ ...f, type: walk(f.type, ns) }))
    if (o.items !== undefined) o.items = walk(o.items, ns)
    if (o.values !== undefined) o.values = walk(o.values, ns)
    if (o.type !== undefined && typeof o.type === 'object') o.type = walk(o.type, ns)
    return o
  }
  return walk(schema, undefined) as avro.Schema
}
