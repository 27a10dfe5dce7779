/**
 * A request's URL parameters sorted as ClickHouse's HTTP handler sorts them: the handler's own
 * parameters, `param_<name>` query parameters, and every other name taken as a setting.
 */
import { type ClickHouseError, clickhouseError } from './clickhouse-error.ts'

/** Parameters the HTTP handler reads itself; none of them is a setting. */
const HANDLER_PARAMS = new Set([
  'query',
  'database',
  'default_format',
  'query_id',
  'user',
  'password',
  'quota_key',
  'stacktrace',
  'role',
  'compress',
  'decompress',
  'buffer_size',
  'wait_end_of_query',
  'client_protocol_version',
  'session_id',
  'session_timeout',
  'session_check',
  'with_stacktrace',
  'close_session',
])

/** Settings the HTTP layer acts on itself instead of passing them to the engine. */
export const HTTP_SETTINGS = new Set([
  'enable_http_compression',
  'http_zlib_compression_level',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
  'http_wait_end_of_query',
  'http_response_buffer_size',
  'cancel_http_readonly_queries_on_client_close',
  'readonly',
])

export interface RequestParams {
  query?: string
  database?: string
  defaultFormat?: string
  queryId?: string
  /** `compress=1`: the result in ClickHouse's own compressed frame (native-compression.ts). */
  compress: boolean
  /** Query parameters by name (without `param_`), in ClickHouse's escaped text form. */
  params: Record<string, string>
  /** Settings to apply to this request only. */
  settings: Record<string, string>
  /** Settings the HTTP layer handles itself (compression, readonly). */
  httpSettings: Record<string, string>
}

export function readRequestParams(search: URLSearchParams): RequestParams | ClickHouseError {
  const out: RequestParams = { params: {}, settings: {}, httpSettings: {}, compress: false }
  for (const [name, value] of search) {
    if (name.startsWith('param_')) out.params[name.slice(6)] = value
    else if (name === 'session_id' && value !== '')
      return clickhouseError('NOT_IMPLEMENTED', 'Sessions (session_id) are not supported by this server', 501)
    else if (name === 'decompress' && value !== '0')
      return clickhouseError('NOT_IMPLEMENTED', "ClickHouse's own compressed request format is not supported")
    else if (HANDLER_PARAMS.has(name)) assignHandlerParam(out, name, value)
    else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      return clickhouseError('UNKNOWN_SETTING', `Unknown setting '${name}'`)
    else if (HTTP_SETTINGS.has(name)) out.httpSettings[name] = value
    else out.settings[name] = value
  }
  return out
}

function assignHandlerParam(out: RequestParams, name: string, value: string): void {
  if (name === 'query') out.query = value
  else if (name === 'database' && value !== '') out.database = value
  else if (name === 'default_format' && value !== '') out.defaultFormat = value
  else if (name === 'query_id' && value !== '') out.queryId = value
  else if (name === 'compress') out.compress = value === '1' || value === 'true'
}

/** ClickHouse also takes the database and the default format from request headers. */
export function applyHeaders(
  params: RequestParams,
  headers: { database?: string | undefined; format?: string | undefined },
): void {
  if (params.database === undefined && headers.database) params.database = headers.database
  if (params.defaultFormat === undefined && headers.format) params.defaultFormat = headers.format
}
