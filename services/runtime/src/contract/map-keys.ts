import type avro from 'avsc'

/**
 * avsc decodes Avro maps into plain objects, where the key "__proto__" sets the prototype
 * instead of an entry: such an entry would be written but silently lost when read. The
 * encoder therefore refuses it; this finds the paths of every such key in a value.
 * Which types can hold a map is computed once per type, so values without maps cost nothing.
 */
const UNSAFE_KEY = '__proto__'
const holdsMap = new WeakMap<avro.Type, boolean>()

function canHoldMap(type: avro.Type): boolean {
  const known = holdsMap.get(type)
  if (known !== undefined) return known
  holdsMap.set(type, false) // recursive types: assume no until proven
  let result = false
  switch (type.typeName) {
    case 'map':
      result = true
      break
    case 'array':
      result = canHoldMap((type as avro.types.ArrayType).itemsType)
      break
    case 'record':
    case 'error':
      result = (type as avro.types.RecordType).fields.some((f) => canHoldMap(f.type))
      break
    case 'union:unwrapped':
    case 'union:wrapped':
      result = (type as avro.types.UnwrappedUnionType).types.some(canHoldMap)
      break
    default:
      result = false
  }
  holdsMap.set(type, result)
  return result
}

const mapFieldsOf = new WeakMap<avro.Type, Array<{ name: string; type: avro.Type }>>()

/** The fields of a record that can hold a map, worked out once per record type. */
function mapFields(type: avro.types.RecordType): Array<{ name: string; type: avro.Type }> {
  let fields = mapFieldsOf.get(type)
  if (!fields) {
    fields = type.fields.filter((f) => canHoldMap(f.type)).map((f) => ({ name: f.name, type: f.type }))
    mapFieldsOf.set(type, fields)
  }
  return fields
}

/** Allocation-free test used on every encode; the paths are only worked out when it fails. */
export function hasUnsafeMapKey(type: avro.Type, value: unknown): boolean {
  if (value === null || typeof value !== 'object' || !canHoldMap(type)) return false
  switch (type.typeName) {
    case 'map': {
      if (Object.hasOwn(value, UNSAFE_KEY)) return true
      const values = (type as avro.types.MapType).valuesType
      if (!canHoldMap(values)) return false
      for (const k in value) if (hasUnsafeMapKey(values, (value as Record<string, unknown>)[k])) return true
      return false
    }
    case 'array': {
      const items = (type as avro.types.ArrayType).itemsType
      for (const v of value as unknown[]) if (hasUnsafeMapKey(items, v)) return true
      return false
    }
    case 'record':
    case 'error':
      for (const f of mapFields(type as avro.types.RecordType)) {
        if (hasUnsafeMapKey(f.type, (value as Record<string, unknown>)[f.name])) return true
      }
      return false
    default:
      // A union: every branch that can hold a map is looked into (a false alarm only costs the slow path).
      for (const branch of (type as avro.types.UnwrappedUnionType).types) {
        if (hasUnsafeMapKey(branch, value)) return true
      }
      return false
  }
}

export function unsafeMapKeyPaths(
  type: avro.Type,
  value: unknown,
  path: string[] = [],
  out: string[] = [],
): string[] {
  if (value === null || typeof value !== 'object' || !canHoldMap(type)) return out
  switch (type.typeName) {
    case 'map': {
      if (Object.hasOwn(value, UNSAFE_KEY)) out.push([...path, UNSAFE_KEY].join('.'))
      const values = (type as avro.types.MapType).valuesType
      for (const [k, v] of Object.entries(value)) unsafeMapKeyPaths(values, v, [...path, k], out)
      break
    }
    case 'array': {
      const items = (type as avro.types.ArrayType).itemsType
      for (const [i, v] of (value as unknown[]).entries())
        unsafeMapKeyPaths(items, v, [...path, String(i)], out)
      break
    }
    case 'record':
    case 'error':
      for (const f of (type as avro.types.RecordType).fields) {
        unsafeMapKeyPaths(f.type, (value as Record<string, unknown>)[f.name], [...path, f.name], out)
      }
      break
    default:
      for (const branch of (type as avro.types.UnwrappedUnionType).types ?? []) {
        if (branch.isValid(value)) {
          unsafeMapKeyPaths(branch, value, path, out)
          break
        }
      }
  }
  return out
}
