/**
 * A writer and a reader compiled from one avsc type into straight-line JavaScript: one
 * function per record, with every field's checks and Tap calls unrolled in place.
 *
 * avsc's own writers dispatch every field through shared methods (`UnionType#_write`,
 * `LogicalType#_write`, ...) whose inner calls see every type in the schema, and pick a
 * nullable logical type's branch by converting the value twice; on the event envelope (some
 * eighty fields, most of them nullable) that dispatch is most of the cost. Here each call
 * site sees one type. The bytes are avsc's — the same Tap primitives write them, the
 * property tests compare both byte for byte — and what is not compiled (fixed, unions of
 * several non-null branches) is handed to avsc's own method for that type. Values are read
 * into plain objects, fields in schema order.
 */
import type avro from 'avsc'
import { hasUnsafeKey } from './safe-map-type.ts'
import {
  badIndex,
  blockSize,
  fail,
  readEnum,
  readString,
  Tap,
  writeLong,
  writeString,
} from './tap-primitives.ts'

export interface CompiledType<T> {
  /** Writes `value` at `pos`; the end offset, or, as avsc's Type#encode, a negative number when it did not fit. */
  encode(value: T, buf: Buffer, pos: number): number
  /** Reads a value at `pos`; offset −1 when the bytes end early. Throws on bytes that are not this type. */
  decode(buf: Buffer, pos: number): { value: T; offset: number }
}

type AnyType = avro.Type & {
  fields?: Array<{ name: string; type: avro.Type; defaultValue(): unknown }>
  types?: avro.Type[]
  itemsType?: avro.Type
  valuesType?: avro.Type
  symbols?: string[]
  underlyingType?: avro.Type
}

const EMPTY = Buffer.alloc(0)

/** avsc's range for a long held in a JS number. */
const SAFE_LONG = 9007199254740990

class Compiler {
  private readonly constants: unknown[] = []
  private readonly functions: string[] = []
  private readonly writers = new Map<avro.Type, string>()
  private readonly readers = new Map<avro.Type, string>()
  private locals = 0

  constant(value: unknown): string {
    this.constants.push(value)
    return `K[${this.constants.length - 1}]`
  }

  /** A value as source text when it is a primitive, else as a constant. */
  literal(value: unknown): string {
    const primitive =
      value === null || typeof value === 'boolean' || typeof value === 'string' || Number.isFinite(value)
    return primitive ? JSON.stringify(value) : this.constant(value)
  }

  local(): string {
    return `x${this.locals++}`
  }

  /** Statements that write the value held in variable `v`. */
  write(type: AnyType, v: string): string {
    const fail = `fail(${v})`
    switch (type.typeName) {
      case 'null':
        return `if (${v} !== null) ${fail};`
      case 'boolean':
        return `if (typeof ${v} !== 'boolean') ${fail}; t.writeBoolean(${v});`
      case 'int':
        return `if (${v} !== (${v} | 0)) ${fail}; t.writeLong(${v});`
      case 'long':
        return `if (!Number.isInteger(${v}) || ${v} < -${SAFE_LONG} || ${v} > ${SAFE_LONG}) ${fail}; writeLong(t, ${v});`
      case 'float':
        return `if (typeof ${v} !== 'number') ${fail}; t.writeFloat(${v});`
      case 'double':
        return `if (typeof ${v} !== 'number') ${fail}; t.writeDouble(${v});`
      case 'string':
        return `if (typeof ${v} !== 'string') ${fail}; writeString(t, ${v});`
      case 'bytes':
        return `if (!Buffer.isBuffer(${v})) ${fail}; t.writeBytes(${v});`
      case 'enum': {
        const indices = this.constant(new Map((type.symbols ?? []).map((s, i) => [s, i])))
        const i = this.local()
        return `const ${i} = ${indices}.get(${v}); if (${i} === undefined) ${fail}; t.writeLong(${i});`
      }
      case 'record':
      case 'error':
        return `${this.recordWriter(type)}(t, ${v});`
      case 'map':
      case 'array':
        return `${this.collectionWriter(type)}(t, ${v});`
      case 'union:unwrapped': {
        const branches = type.types ?? []
        const nullAt = branches.findIndex((b) => b.typeName === 'null')
        if (branches.length === 2 && nullAt >= 0) {
          const other = branches[1 - nullAt] as AnyType
          // A branch index below 64 is one varint byte: zig-zag(i) = 2i.
          return `if (${v} === null) t.buf[t.pos++] = ${2 * nullAt}; else { t.buf[t.pos++] = ${2 * (1 - nullAt)}; ${this.write(other, v)} }`
        }
        return `${this.constant(type)}._write(t, ${v});`
      }
      default:
        if (type.typeName.startsWith('logical:')) {
          const logical = this.constant(type)
          const u = this.local()
          return `const ${u} = ${logical}._toValue(${v}); if (${u} === undefined) ${fail}; ${this.write(type.underlyingType as AnyType, u)}`
        }
        return `${this.constant(type)}._write(t, ${v});`
    }
  }

  /** An expression that reads one value. */
  read(type: AnyType): string {
    switch (type.typeName) {
      case 'null':
        return 'null'
      case 'boolean':
        return 't.readBoolean()'
      case 'int':
      case 'long':
        return 't.readLong()'
      case 'float':
        return 't.readFloat()'
      case 'double':
        return 't.readDouble()'
      case 'string':
        return 'readString(t)'
      case 'bytes':
        return 't.readBytes()'
      case 'enum':
        return `readEnum(t, ${this.constant(type.symbols ?? [])})`
      case 'record':
      case 'error':
        return `${this.recordReader(type)}(t)`
      case 'map':
      case 'array':
        return `${this.collectionReader(type)}(t)`
      case 'union:unwrapped': {
        const branches = type.types ?? []
        const nullAt = branches.findIndex((b) => b.typeName === 'null')
        if (branches.length === 2 && nullAt >= 0) return `${this.nullableReader(type, nullAt)}(t)`
        return `${this.constant(type)}._read(t)`
      }
      default:
        if (type.typeName.startsWith('logical:'))
          return `${this.constant(type)}._fromValue(${this.read(type.underlyingType as AnyType)})`
        return `${this.constant(type)}._read(t)`
    }
  }

  private define(cache: Map<avro.Type, string>, type: avro.Type, prefix: string, body: () => string): string {
    const known = cache.get(type)
    if (known) return known
    const name = `${prefix}${cache.size}`
    cache.set(type, name) // before the body: a recursive record refers to itself
    this.functions.push(body().replace('$NAME', name))
    return name
  }

  private recordWriter(type: AnyType): string {
    return this.define(this.writers, type, 'wr', () => {
      const lines = (type.fields ?? []).map((f) => {
        const x = this.local()
        const fallback = f.defaultValue()
        // As avsc: a field left undefined is written as its default, when it has one.
        const read = `let ${x} = v[${JSON.stringify(f.name)}];`
        const orDefault =
          fallback === undefined ? '' : ` if (${x} === undefined) ${x} = ${this.literal(fallback)};`
        return `${read}${orDefault}\n  ${this.write(f.type as AnyType, x)}`
      })
      return `function $NAME(t, v) {\n  if (v === null || typeof v !== 'object') fail(v);\n  ${lines.join('\n  ')}\n}`
    })
  }

  private recordReader(type: AnyType): string {
    return this.define(this.readers, type, 'rr', () => {
      // Object literal members are evaluated in order, as the fields are laid out.
      const members = (type.fields ?? []).map(
        // A field named __proto__ (a valid Avro name) is a computed key: in a literal the plain
        // form would set the object's prototype instead of a property.
        (f) =>
          `${f.name === '__proto__' ? `["__proto__"]` : JSON.stringify(f.name)}: ${this.read(f.type as AnyType)}`,
      )
      return `function $NAME(t) {\n  return {\n    ${members.join(',\n    ')}\n  }\n}`
    })
  }

  private nullableReader(type: AnyType, nullAt: number): string {
    return this.define(this.readers, type, 'ru', () => {
      const other = this.read((type.types ?? [])[1 - nullAt] as AnyType)
      return `function $NAME(t) {\n  const b = t.buf[t.pos++];\n  if (b === ${2 * nullAt}) return null;\n  if (b === ${2 * (1 - nullAt)}) return ${other};\n  t.pos--;\n  const i = t.readLong();\n  // Past the end: the caller reports the bytes as truncated.\n  if (t.pos > t.buf.length) return null;\n  throw badIndex(i);\n}`
    })
  }

  private collectionWriter(type: AnyType): string {
    return this.define(this.writers, type, 'wc', () => {
      const x = this.local()
      if (type.typeName === 'array') {
        return `function $NAME(t, v) {
  if (!Array.isArray(v)) fail(v);
  if (v.length > 0) t.writeLong(v.length);
  for (let i = 0; i < v.length; i++) { const ${x} = v[i]; ${this.write(type.itemsType as AnyType, x)} }
  t.writeLong(0);
}`
      }
      return `function $NAME(t, v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || hasUnsafeKey(v)) fail(v);
  const keys = Object.keys(v);
  if (keys.length > 0) t.writeLong(keys.length);
  for (let i = 0; i < keys.length; i++) { writeString(t, keys[i]); const ${x} = v[keys[i]]; ${this.write(type.valuesType as AnyType, x)} }
  t.writeLong(0);
}`
    })
  }

  private collectionReader(type: AnyType): string {
    return this.define(this.readers, type, 'rc', () => {
      if (type.typeName === 'array') {
        return `function $NAME(t) {
  const out = [];
  for (let n = blockSize(t); n > 0; n = blockSize(t)) while (n-- > 0) out.push(${this.read(type.itemsType as AnyType)});
  return out;
}`
      }
      return `function $NAME(t) {
  const out = {};
  for (let n = blockSize(t); n > 0; n = blockSize(t)) while (n-- > 0) { const k = readString(t); out[k] = ${this.read(type.valuesType as AnyType)}; }
  return out;
}`
    })
  }

  build<T>(type: AnyType): CompiledType<T> {
    const writeRoot = `function writeRoot(t, v) { ${this.write(type, 'v')} }`
    const readRoot = `function readRoot(t) { return ${this.read(type)} }`
    const source = `'use strict';\n${this.functions.join('\n')}\n${writeRoot}\n${readRoot}\nreturn { writeRoot, readRoot };`
    // The helpers the generated code calls, passed in by name.
    const helpers = { fail, badIndex, readEnum, blockSize, writeString, readString, writeLong, hasUnsafeKey }
    const make = new Function('K', ...Object.keys(helpers), source) as (...args: unknown[]) => {
      writeRoot(t: Tap, v: unknown): void
      readRoot(t: Tap): unknown
    }
    const { writeRoot: w, readRoot: r } = make(this.constants, ...Object.values(helpers))
    // One cursor for every call: encode and decode run to completion synchronously and never
    // re-enter (values hold no callbacks), so nothing else can see it between calls.
    const t = new Tap(EMPTY, 0)
    return {
      encode(value, buf, pos) {
        t.buf = buf
        t.pos = pos
        try {
          w(t, value)
        } finally {
          t.buf = EMPTY
        }
        return t.pos <= buf.length ? t.pos : buf.length - t.pos
      },
      decode(buf, pos) {
        t.buf = buf
        t.pos = pos
        try {
          const value = r(t) as T
          return t.pos <= buf.length ? { value, offset: t.pos } : { value: undefined as T, offset: -1 }
        } finally {
          t.buf = EMPTY
        }
      },
    }
  }
}

const compiled = new WeakMap<avro.Type, CompiledType<unknown>>()

/** The compiled writer and reader of `type`, built once per type. */
export function compileType<T>(type: avro.Type): CompiledType<T> {
  let result = compiled.get(type)
  if (!result) {
    result = new Compiler().build(type as AnyType)
    compiled.set(type, result)
  }
  return result as CompiledType<T>
}
