/**
 * Logical types and their one JavaScript representation each:
 *
 * | Avro                         | JavaScript                                                   |
 * |------------------------------|--------------------------------------------------------------|
 * | long  / timestamp-millis     | `Date`, years 0001–9999 (others, and invalid Dates, rejected)  |
 * | bytes / decimal(p, s)        | `string`, canonical: `-?digits.digits` with exactly s decimals|
 * |                              | (encode accepts fewer decimals, never more: no silent rounding)|
 * | string / uuid                | `string`, lower-case 8-4-4-4-12 hex (encode accepts any case)  |
 */
import avro from 'avsc'
import { safeMapHook } from './safe-map-type.ts'

const { LogicalType } = avro.types

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: avsc's long loses values below -2^52. */
const MIN_MS = -62_135_596_800_000
const MAX_MS = 253_402_300_799_999

export class TimestampMillisType extends LogicalType {
  override _fromValue(value: number): Date {
    return new Date(value)
  }
  override _toValue(value: unknown): number | undefined {
    if (!(value instanceof Date)) return undefined
    const ms = value.getTime()
    return Number.isNaN(ms) || ms < MIN_MS || ms > MAX_MS ? undefined : ms
  }
  override _resolve(type: avro.Type): ((v: number) => number) | undefined {
    if (avro.Type.isType(type, 'long', 'logical:timestamp-millis')) return (v) => v
    return undefined
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export class UuidType extends LogicalType {
  override _fromValue(value: string): string {
    return value
  }
  override _toValue(value: unknown): string | undefined {
    return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined
  }
  override _resolve(type: avro.Type): ((v: string) => string) | undefined {
    if (avro.Type.isType(type, 'string', 'logical:uuid')) return (v) => v
    return undefined
  }
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/

export class DecimalType extends LogicalType {
  private readonly precision: number
  private readonly scale: number

  constructor(schema: avro.Schema & { precision?: number; scale?: number }, opts?: avro.ForSchemaOptions) {
    super(schema, opts)
    const precision = schema.precision
    const scale = schema.scale ?? 0
    if (!Number.isInteger(precision) || (precision as number) < 1)
      throw new Error('decimal needs a precision')
    if (!Number.isInteger(scale) || scale < 0 || scale > (precision as number))
      throw new Error('invalid decimal scale')
    this.precision = precision as number
    this.scale = scale
  }

  override _fromValue(bytes: Buffer): string {
    return formatUnscaled(fromTwosComplement(bytes), this.scale)
  }

  override _toValue(value: unknown): Buffer | undefined {
    if (typeof value !== 'string') return undefined
    const m = DECIMAL.exec(value)
    if (!m) return undefined
    const [, sign, whole = '', fraction = ''] = m
    if (fraction.length > this.scale) return undefined
    const digits = (whole + fraction.padEnd(this.scale, '0')).replace(/^0+(?=\d)/, '')
    if (digits.length > this.precision) return undefined
    const unscaled = BigInt(digits) * (sign === '-' ? -1n : 1n)
    return toTwosComplement(unscaled)
  }

  override _resolve(type: avro.Type): ((v: Buffer) => Buffer) | undefined {
    const other = type as avro.Type & { precision?: number; scale?: number }
    if (
      avro.Type.isType(type, 'logical:decimal') &&
      other.precision === this.precision &&
      other.scale === this.scale
    ) {
      return (v) => v
    }
    return undefined
  }

  override _export(attrs: avro.Schema): void {
    Object.assign(attrs as object, { precision: this.precision, scale: this.scale })
  }
}

function formatUnscaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const fraction = digits.slice(digits.length - scale)
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`
}

/** Big-endian two's complement, as the Avro spec stores decimals in bytes. */
function fromTwosComplement(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n
  let n = 0n
  for (const b of bytes) n = (n << 8n) | BigInt(b)
  const first = bytes[0] as number
  return first & 0x80 ? n - (1n << BigInt(bytes.length * 8)) : n
}

function toTwosComplement(n: bigint): Buffer {
  let length = 1
  while (n < -(1n << BigInt(length * 8 - 1)) || n >= 1n << BigInt(length * 8 - 1)) length++
  const out = Buffer.alloc(length)
  let v = n < 0n ? (1n << BigInt(length * 8)) + n : n
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

export const LOGICAL_TYPES: Record<
  string,
  new (
    schema: avro.Schema,
    opts?: avro.ForSchemaOptions,
  ) => avro.types.LogicalType
> = {
  'timestamp-millis': TimestampMillisType,
  uuid: UuidType,
  decimal: DecimalType as unknown as new (
    schema: avro.Schema,
    opts?: avro.ForSchemaOptions,
  ) => avro.types.LogicalType,
}

/** Parses a schema with opstream's logical types and maps that refuse the key "__proto__". */
export function avroType(schema: avro.Schema | string): avro.Type {
  return avro.Type.forSchema(typeof schema === 'string' ? (JSON.parse(schema) as avro.Schema) : schema, {
    logicalTypes: LOGICAL_TYPES,
    typeHook: safeMapHook,
  })
}
