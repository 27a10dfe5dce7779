/**
 * From a request to what the engine runs, with ClickHouse's rules for who may run what:
 * - `readonly=1` (the reader role): reads only, and no setting changed — in the URL, by SET or by
 *   a SETTINGS clause — except to the value it already has;
 * - `readonly=2` (any GET request, as in ClickHouse): reads only, settings may change;
 * - a writer's POST: anything.
 * One statement a request; INTO OUTFILE is refused (it would write on the server's machine).
 */
import { type ClickHouseError, clickhouseError } from './clickhouse-error.ts'
import type { RequestParams } from './request-params.ts'
import { readStatement, type SqlScanError, type Statement } from './sql-statement.ts'
import type { User } from './users.ts'

export interface QueryPlan {
  statement: Statement
  /** The statement's text; for an INSERT with inline data, the text up to the data. */
  sql: string
  /** An INSERT's inline data, as received. */
  data?: Buffer
  database: string
  /** Format the engine writes when the statement names none. */
  format: string
  /** The format of the result (the statement's FORMAT clause wins). */
  outputFormat: string
  settings: Record<string, string>
  params: Record<string, string>
}

export interface PlanInput {
  method: 'GET' | 'POST'
  user: User
  params: RequestParams
  body: Buffer
  /** The reader role's settings, to accept a URL setting that restates one. */
  readerSettings: ReadonlyMap<string, string>
}

export function planQuery(input: PlanInput): QueryPlan | ClickHouseError {
  const split = splitQuery(input)
  let statement: Statement
  try {
    statement = split.statement ?? readStatement(split.scanned)
  } catch (err) {
    return clickhouseError('SYNTAX_ERROR', `Syntax error: ${(err as SqlScanError).message}`)
  }
  if (statement.empty) return clickhouseError('SYNTAX_ERROR', 'Empty query')
  if (statement.multiple)
    return clickhouseError('SYNTAX_ERROR', 'Syntax error (Multi-statements are not allowed)')
  if (statement.intoOutfile) return clickhouseError('INTO_OUTFILE_NOT_ALLOWED', 'INTO OUTFILE is not allowed')
  const denied = checkReadonly(input, statement)
  if (denied) return denied
  const format = input.params.defaultFormat ?? 'TabSeparated'
  const settings = { ...input.params.settings }
  if (readonlyLevel(input) === 1) for (const name of Object.keys(settings)) delete settings[name]
  const inline = statement.kind === 'insert' && statement.dataStart !== undefined
  const plan: QueryPlan = {
    statement,
    sql: split.sql,
    database: input.params.database ?? 'default',
    format,
    outputFormat: statement.format ?? format,
    settings,
    params: input.params.params,
  }
  if (inline && split.fromBody) {
    plan.sql = input.body.subarray(0, statement.dataStart).toString('utf8')
    plan.data = input.body.subarray(statement.dataStart)
  } else if (inline) {
    // Data may begin in the URL's query and go on in the body: ClickHouse reads them as one.
    const start = statement.dataStart as number
    plan.sql = split.sql.slice(0, start)
    plan.data = Buffer.concat([Buffer.from(split.sql.slice(start)), input.body])
  } else if (split.fromBody) {
    plan.sql = input.body.toString('utf8')
  }
  return plan
}

/**
 * The statement's text. With `?query=` the URL holds the statement, and a POST's body is its
 * continuation (an INSERT's data, or more of the query); without, the body is the whole statement.
 * The scanned text of a body is read byte for byte (latin1), so offsets are byte offsets even
 * where binary data follows the statement.
 */
function splitQuery(input: PlanInput): {
  sql: string
  scanned: string
  fromBody: boolean
  /** The statement, when reading it was needed to split the request already. */
  statement?: Statement
} {
  const urlQuery = input.params.query
  if (input.method === 'GET') return { sql: urlQuery ?? '', scanned: urlQuery ?? '', fromBody: false }
  if (urlQuery !== undefined) {
    const st = safeRead(urlQuery)
    if (st?.kind === 'insert' && st.dataStart !== undefined)
      return { sql: urlQuery, scanned: urlQuery, fromBody: false, statement: st }
    const sql = input.body.length > 0 ? `${urlQuery}\n${input.body.toString('utf8')}` : urlQuery
    return { sql, scanned: sql, fromBody: false }
  }
  return { sql: '', fromBody: true, ...scannedBody(input.body) }
}

/** Statements before INSERT data are short: a large body is scanned only as far as its data. */
const SCAN_WINDOW = 64 * 1024

function scannedBody(body: Buffer): { scanned: string; statement?: Statement } {
  if (body.length > SCAN_WINDOW) {
    const head = body.subarray(0, SCAN_WINDOW).toString('latin1')
    const st = safeRead(head)
    if (st?.kind === 'insert' && st.dataStart !== undefined && st.dataStart < head.length)
      return { scanned: head, statement: st }
  }
  return { scanned: body.toString('latin1') }
}

function safeRead(text: string): Statement | undefined {
  try {
    return readStatement(text)
  } catch {
    return undefined
  }
}

function readonlyLevel(input: PlanInput): number {
  const asked = Number(input.params.httpSettings.readonly ?? 0) || 0
  const own = input.user.role === 'reader' ? 1 : input.method === 'GET' ? 2 : 0
  return own === 1 || asked === 1 ? 1 : Math.max(own, asked)
}

function checkReadonly(input: PlanInput, st: Statement): ClickHouseError | undefined {
  const level = readonlyLevel(input)
  if (level === 0) return undefined
  if (level === 1) {
    for (const [name, value] of Object.entries(input.params.settings))
      if (input.readerSettings.get(name) !== value) return settingDenied(name)
    const changed = st.kind === 'set' || st.kind === 'read' ? st.settings[0] : undefined
    if (changed !== undefined) return settingDenied(changed)
  }
  if (st.kind === 'read' || st.kind === 'use' || (st.kind === 'set' && level === 2)) return undefined
  return clickhouseError(
    'READONLY',
    input.method === 'GET' && input.user.role === 'writer'
      ? 'Cannot execute query in readonly mode. For queries over HTTP, method GET implies readonly. You should use method POST for modifying queries'
      : `${input.user.name}: Cannot execute query in readonly mode`,
  )
}

function settingDenied(name: string): ClickHouseError {
  return clickhouseError('READONLY', `Cannot modify '${name}' setting in readonly mode`)
}
