import { NonRetriableError } from '../errors.ts'

/**
 * Why bytes could not be read, or a value could not be written. Each is non-retriable: the
 * same bytes fail the same way every time, so the consumer runner sends them to the DLQ
 * (see outcomeForError) with `kind` as the record's error_kind.
 */
export type WireErrorKind =
  | 'bad_magic_byte'
  | 'unknown_schema_id'
  | 'truncated'
  | 'invalid_payload'
  | 'incompatible_schema'
  | 'validation'

export class WireFormatError extends NonRetriableError {
  constructor(
    readonly kind: WireErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind}: ${message}`, options)
  }
}

/** A value that does not match its schema; `paths` name every offending field. */
export class SchemaValidationError extends WireFormatError {
  constructor(
    readonly subject: string,
    readonly paths: readonly string[],
  ) {
    super('validation', `${subject}: invalid value at ${paths.join(', ')}`)
  }
}
