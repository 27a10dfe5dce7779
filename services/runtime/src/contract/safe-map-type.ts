/**
 * avsc decodes Avro maps into plain objects, where the key "__proto__" sets the prototype
 * instead of an entry: such an entry would be written but silently lost when read. Every map
 * type opstream parses is this one, which refuses that key when writing and reports it, with
 * its path, when validating — one own-property test per map written.
 */
import avro from 'avsc'

const UNSAFE_KEY = '__proto__'

type CheckHook = (value: unknown, type: avro.Type) => void

export class SafeMapType extends avro.types.MapType {
  _check(value: unknown, flags?: unknown, hook?: CheckHook, path?: string[]): boolean {
    if (hasUnsafeKey(value)) {
      if (hook && path) {
        path.push(UNSAFE_KEY)
        hook(value, this)
        path.pop()
      }
      return false
    }
    // The base class's _check is not in avsc's type declarations.
    const base = avro.types.MapType.prototype as unknown as {
      _check(v: unknown, f?: unknown, h?: CheckHook, p?: string[]): boolean
    }
    return base._check.call(this, value, flags, hook, path)
  }

  _write(tap: unknown, value: unknown): void {
    if (hasUnsafeKey(value)) throw new Error(`map key "${UNSAFE_KEY}" cannot be read back`)
    const base = avro.types.MapType.prototype as unknown as { _write(t: unknown, v: unknown): void }
    base._write.call(this, tap, value)
  }
}

/** Whether a map value holds the key that would be lost when read back. */
export function hasUnsafeKey(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.hasOwn(value, UNSAFE_KEY)
}

/** avsc `typeHook`: every map becomes a SafeMapType. */
export function safeMapHook(schema: avro.Schema, opts: avro.ForSchemaOptions): avro.Type | undefined {
  const s = schema as { type?: unknown }
  return typeof s === 'object' && s !== null && s.type === 'map' ? new SafeMapType(schema, opts) : undefined
}
