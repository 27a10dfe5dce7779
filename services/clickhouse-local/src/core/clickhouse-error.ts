/**
 * Errors as ClickHouse's HTTP interface sends them: a body `Code: N. DB::Exception: … (NAME)`,
 * the code in `X-ClickHouse-Exception-Code`, and the HTTP status ClickHouse gives that code
 * (src/Server/HTTP/exceptionCodeToHTTPStatus.cpp, by error name). Clients parse the body, so an
 * error this server raises itself reads exactly like one the engine raised.
 */

/** The codes of the errors this server raises itself, as the engine names them (checked in a test). */
export const ERROR_CODES = {
  UNSUPPORTED_METHOD: 1,
  BAD_ARGUMENTS: 36,
  NOT_IMPLEMENTED: 48,
  SYNTAX_ERROR: 62,
  UNKNOWN_FORMAT: 73,
  UNKNOWN_SETTING: 115,
  TIMEOUT_EXCEEDED: 159,
  READONLY: 164,
  TOO_MANY_SIMULTANEOUS_QUERIES: 202,
  QUERY_IS_TOO_LARGE: 229,
  CANNOT_DECOMPRESS: 271,
  QUERY_WAS_CANCELLED: 394,
  AUTHENTICATION_FAILED: 516,
  INTO_OUTFILE_NOT_ALLOWED: 358,
} as const

export type ErrorName = keyof typeof ERROR_CODES

export class ClickHouseError extends Error {
  override readonly name = 'ClickHouseError'
  constructor(
    readonly code: number,
    readonly errorName: string,
    readonly text: string,
    /** The HTTP status, when it is not the one ClickHouse derives from the code. */
    readonly status?: number,
    /** The engine's own exception line, kept verbatim. */
    engineMessage?: string,
  ) {
    super(engineMessage ?? `Code: ${code}. DB::Exception: ${text}. (${errorName})`)
  }
}

export function clickhouseError(name: ErrorName, text: string, status?: number): ClickHouseError {
  return new ClickHouseError(ERROR_CODES[name], name, text, status)
}

const ENGINE_MESSAGE = /^Code: (\d+)\. DB::Exception: ([\s\S]*?)\.? \(([A-Z0-9_]+)\)\s*$/

/** The engine's exception text as a ClickHouseError; an unrecognised text is an internal error. */
export function fromEngineMessage(message: string): ClickHouseError {
  // The engine's raw insert wraps its exception in a second "Code: N. DB::Exception: " prefix.
  const text = message.trim().replace(/^(Code: (\d+)\. DB::Exception: )(?=Code: \2\. DB::Exception: )/, '')
  const m = ENGINE_MESSAGE.exec(text)
  if (!m) return new ClickHouseError(1001, 'STD_EXCEPTION', text)
  return new ClickHouseError(Number(m[1]), m[3] as string, m[2] as string, undefined, text)
}

const STATUS_BY_NAME: ReadonlyMap<string, number> = new Map([
  ['REQUIRED_PASSWORD', 401],
  ...['UNKNOWN_USER', 'WRONG_PASSWORD', 'AUTHENTICATION_FAILED', 'SET_NON_GRANTED_ROLE', 'ACCESS_DENIED'].map(
    (n): [string, number] => [n, 403],
  ),
  ...[
    'BAD_ARGUMENTS',
    'CANNOT_COMPILE_REGEXP',
    'CANNOT_PARSE_TEXT',
    'CANNOT_PARSE_ESCAPE_SEQUENCE',
    'CANNOT_PARSE_QUOTED_STRING',
    'CANNOT_PARSE_DATE',
    'CANNOT_PARSE_DATETIME',
    'CANNOT_PARSE_NUMBER',
    'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING',
    'CANNOT_PARSE_IPV4',
    'CANNOT_PARSE_IPV6',
    'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
    'CANNOT_PARSE_UUID',
    'DUPLICATE_COLUMN',
    'ILLEGAL_COLUMN',
    'UNKNOWN_ELEMENT_IN_AST',
    'UNKNOWN_TYPE_OF_AST_NODE',
    'THERE_IS_NO_COLUMN',
    'TOO_DEEP_AST',
    'TOO_BIG_AST',
    'UNEXPECTED_AST_STRUCTURE',
    'SYNTAX_ERROR',
    'INCORRECT_DATA',
    'TYPE_MISMATCH',
    'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
  ].map((n): [string, number] => [n, 400]),
  ...[
    'UNKNOWN_TABLE',
    'UNKNOWN_FUNCTION',
    'UNKNOWN_IDENTIFIER',
    'UNKNOWN_TYPE',
    'UNKNOWN_STORAGE',
    'UNKNOWN_DATABASE',
    'UNKNOWN_SETTING',
    'UNKNOWN_DIRECTION_OF_SORTING',
    'UNKNOWN_AGGREGATE_FUNCTION',
    'UNKNOWN_FORMAT',
    'UNKNOWN_DATABASE_ENGINE',
    'UNKNOWN_TYPE_OF_QUERY',
    'UNKNOWN_ROLE',
  ].map((n): [string, number] => [n, 404]),
  ['QUERY_IS_TOO_LARGE', 413],
  ['NOT_IMPLEMENTED', 501],
  ['SOCKET_TIMEOUT', 503],
  ['CANNOT_OPEN_FILE', 503],
  ['HTTP_LENGTH_REQUIRED', 411],
  ['TIMEOUT_EXCEEDED', 408],
  ['CANNOT_SCHEDULE_TASK', 503],
  ['UNSUPPORTED_MEDIA_TYPE', 415],
])

export function httpStatusOf(err: ClickHouseError): number {
  return err.status ?? STATUS_BY_NAME.get(err.errorName) ?? 500
}

/** The response body: the exception line and the server's version, as ClickHouse writes it. */
export function errorBody(err: ClickHouseError, version: string): string {
  return `${err.message} (version ${version})\n`
}
