import type avro from 'avsc'
import fc from 'fast-check'

/**
 * A fast-check arbitrary of valid values for an avsc type (built with opstream's logical
 * types), for round-trip property tests: unicode strings, empty and large maps, extreme
 * integers, decimals up to the full precision, dates across the whole millisecond range.
 */
export function arbitraryFor(type: avro.Type, depth = 0): fc.Arbitrary<unknown> {
  const t = type as avro.Type & { typeName: string }
  const name = t.typeName
  if (name.startsWith('logical:')) return logicalArbitrary(t)
  switch (name) {
    case 'null':
      return fc.constant(null)
    case 'boolean':
      return fc.boolean()
    case 'int':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
    case 'long':
      // avsc reads longs as JS numbers and loses values below -2^52.
      return fc.integer({ min: -(2 ** 52), max: 2 ** 52 })
    case 'float':
      return fc.float({ noNaN: true }).map((f) => Math.fround(f))
    case 'double':
      return fc.double({ noNaN: true })
    case 'string':
      return fc.string({ unit: 'binary', maxLength: 40 })
    case 'bytes':
      return fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a))
    case 'enum':
      return fc.constantFrom(...(t as avro.types.EnumType).symbols)
    case 'array':
      return fc.array(arbitraryFor((t as avro.types.ArrayType).itemsType, depth + 1), {
        maxLength: depth > 2 ? 1 : 4,
      })
    case 'map':
      return fc.dictionary(
        // "__proto__" is refused by the encoder (see contract/safe-map-type.ts) and tested on its own.
        fc.string({ unit: 'binary', maxLength: 12 }).filter((k) => k !== '__proto__'),
        arbitraryFor((t as avro.types.MapType).valuesType, depth + 1),
        { maxKeys: 6 },
      )
    case 'union:unwrapped':
      return fc.oneof(...(t as avro.types.UnwrappedUnionType).types.map((u) => arbitraryFor(u, depth + 1)))
    case 'record': {
      const fields = (t as avro.types.RecordType).fields
      return fc
        .tuple(...fields.map((f) => arbitraryFor(f.type, depth + 1)))
        .map((values) => Object.fromEntries(fields.map((f, i) => [f.name, values[i]])))
    }
    default:
      throw new Error(`no arbitrary for avro type ${name}`)
  }
}

function logicalArbitrary(t: avro.Type & { typeName: string }): fc.Arbitrary<unknown> {
  switch (t.typeName) {
    case 'logical:timestamp-millis':
      return fc.date({
        noInvalidDate: true,
        min: new Date('0001-01-01T00:00:00Z'),
        max: new Date('9999-12-31T23:59:59.999Z'),
      })
    case 'logical:uuid':
      return fc.uuid()
    case 'logical:decimal': {
      const { precision, scale } = t as unknown as { precision: number; scale: number }
      const max = 10n ** BigInt(precision) - 1n
      return fc.bigInt({ min: -max, max }).map((unscaled) => {
        const negative = unscaled < 0n
        const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0')
        const whole = digits.slice(0, digits.length - scale)
        return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${digits.slice(digits.length - scale)}` : ''}`
      })
    }
    default:
      throw new Error(`no arbitrary for ${t.typeName}`)
  }
}
