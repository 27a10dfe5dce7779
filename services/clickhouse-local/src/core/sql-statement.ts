/**
 * What the HTTP interface needs to know of a statement before the engine sees it, read by a
 * small lexer that knows ClickHouse's quoting and comments: the kind of statement (so that a
 * read-only user or a GET request can be refused the way ClickHouse refuses them), where an
 * INSERT's inline data begins (so that data, binary included, goes to the engine as bytes and is
 * never lexed), the output format a trailing FORMAT clause names, the settings a SET names, and
 * whether a second statement follows (ClickHouse's HTTP interface runs one statement a request).
 *
 * The lexer only scans the statement's text; everything it cannot judge is left to the engine,
 * which parses the statement itself and answers with its own errors.
 */

export type StatementKind = 'read' | 'insert' | 'set' | 'use' | 'other'

export interface Statement {
  kind: StatementKind
  /** The first keyword, upper-cased ('' for an empty statement). */
  keyword: string
  /** INSERT with inline data: the statement up to the data, and the data's offset in the text. */
  dataStart?: number
  /** The output format named by a trailing FORMAT clause at the top level (not for INSERT). */
  format?: string
  /** Setting names assigned by a SET statement, or by a top-level SETTINGS clause. */
  settings: string[]
  /** A top-level INTO OUTFILE clause (writes a file on the server's machine). */
  intoOutfile: boolean
  /** CREATE TEMPORARY …: state of the engine connection that must not outlive the request. */
  temporary: boolean
  /** More than one statement in the text. */
  multiple: boolean
  /** Empty text, or only comments and whitespace. */
  empty: boolean
}

const READ_KEYWORDS = new Set(['SELECT', 'WITH', 'SHOW', 'DESC', 'DESCRIBE', 'EXPLAIN', 'EXISTS'])

type Token = {
  type: 'word' | 'quoted' | 'string' | 'punct' | 'number'
  text: string
  start: number
  end: number
}

export class SqlScanError extends Error {
  override readonly name = 'SqlScanError'
}

/** Reads the statement in `text`; an INSERT's inline data (after FORMAT x, or VALUES) is never scanned. */
export function readStatement(text: string): Statement {
  const st: Statement = {
    kind: 'other',
    keyword: '',
    settings: [],
    intoOutfile: false,
    temporary: false,
    multiple: false,
    empty: true,
  }
  const lexer = tokens(text)
  const seen: Token[] = []
  let depth = 0
  for (let next = lexer.next(); !next.done; next = lexer.next()) {
    const tok = next.value
    if (tok.type === 'punct' && tok.text === ';') {
      st.multiple = lexer.next().done !== true
      break
    }
    if (seen.length === 0) {
      st.empty = false
      st.keyword = tok.type === 'punct' && tok.text === '(' ? 'SELECT' : tok.text.toUpperCase()
      st.kind = kindOf(st.keyword)
    }
    if (tok.type === 'punct') depth += tok.text === '(' ? 1 : tok.text === ')' ? -1 : 0
    seen.push(tok)
    if (depth !== 0 || tok.type !== 'word') continue
    const word = tok.text.toUpperCase()
    const prev = seen[seen.length - 2]
    if (st.kind === 'insert' && word === 'VALUES') {
      st.dataStart = tok.end
      break
    }
    if (word === 'TEMPORARY' && st.keyword === 'CREATE' && prev?.text.toUpperCase() === 'CREATE')
      st.temporary = true
    if (word === 'OUTFILE' && prev?.type === 'word' && prev.text.toUpperCase() === 'INTO')
      st.intoOutfile = true
    if (prev?.type === 'word' && prev.text.toUpperCase() === 'FORMAT' && st.kind !== 'set') {
      if (st.kind === 'insert') {
        st.dataStart = dataOffset(text, tok.end)
        break
      }
      st.format = tok.text
    }
  }
  st.settings = assignedSettings(st, seen)
  return st
}

function kindOf(keyword: string): StatementKind {
  if (READ_KEYWORDS.has(keyword)) return 'read'
  if (keyword === 'INSERT') return 'insert'
  if (keyword === 'SET') return 'set'
  if (keyword === 'USE') return 'use'
  return 'other'
}

/**
 * Inline data begins after the format name: spaces and tabs are skipped, then one line break
 * (\n or \r\n) if there is one — so binary data may begin with any other byte.
 */
function dataOffset(text: string, afterFormat: number): number {
  let i = afterFormat
  while (text[i] === ' ' || text[i] === '\t') i++
  if (text[i] === '\r' && text[i + 1] === '\n') return i + 2
  if (text[i] === '\n') return i + 1
  return i
}

/** `SET a = 1, b = 'x'` names a and b; so does a top-level `SETTINGS a = 1, b = 'x'` clause. */
function assignedSettings(st: Statement, seen: readonly Token[]): string[] {
  const names: string[] = []
  let from = -1
  if (st.kind === 'set') from = 1
  else {
    let depth = 0
    for (let i = 0; i < seen.length; i++) {
      const t = seen[i] as Token
      if (t.type === 'punct') depth += t.text === '(' ? 1 : t.text === ')' ? -1 : 0
      if (depth === 0 && t.type === 'word' && t.text.toUpperCase() === 'SETTINGS') from = i + 1
    }
  }
  if (from < 0) return names
  let depth = 0
  for (let i = from; i < seen.length; i++) {
    const t = seen[i] as Token
    if (t.type === 'punct') depth += t.text === '(' ? 1 : t.text === ')' ? -1 : 0
    const nextTok = seen[i + 1]
    if (depth === 0 && (t.type === 'word' || t.type === 'quoted') && nextTok?.text === '=') {
      const before = seen[i - 1]
      if (i === from || before?.text === ',') names.push(t.type === 'quoted' ? t.text.slice(1, -1) : t.text)
    }
  }
  return names
}

/** ClickHouse's lexical structure: strings, quoted identifiers, line and (nested) block comments. */
function* tokens(text: string): Generator<Token> {
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text[i] as string
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++
    } else if (
      (c === '-' && text[i + 1] === '-') ||
      (c === '#' && (text[i + 1] === ' ' || text[i + 1] === '!'))
    ) {
      while (i < n && text[i] !== '\n') i++
    } else if (c === '/' && text[i + 1] === '*') {
      i = skipBlockComment(text, i)
    } else if (c === "'" || c === '"' || c === '`') {
      const end = skipQuoted(text, i, c)
      yield { type: c === "'" ? 'string' : 'quoted', text: text.slice(i, end), start: i, end }
      i = end
    } else if (/[A-Za-z_$]/.test(c) || c.charCodeAt(0) > 127) {
      let j = i + 1
      while (j < n && (/[A-Za-z0-9_$]/.test(text[j] as string) || (text[j] as string).charCodeAt(0) > 127))
        j++
      yield { type: 'word', text: text.slice(i, j), start: i, end: j }
      i = j
    } else if (/[0-9]/.test(c)) {
      let j = i + 1
      while (j < n && /[0-9A-Za-z_.]/.test(text[j] as string)) j++
      yield { type: 'number', text: text.slice(i, j), start: i, end: j }
      i = j
    } else {
      yield { type: 'punct', text: c, start: i, end: i + 1 }
      i++
    }
  }
}

function skipBlockComment(text: string, from: number): number {
  let depth = 0
  let i = from
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++
      i += 2
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--
      i += 2
      if (depth === 0) return i
    } else i++
  }
  throw new SqlScanError('Multi-line comment is not closed')
}

/** A quoted string or identifier: backslash escapes, and the quote doubled stands for itself. */
function skipQuoted(text: string, from: number, quote: string): number {
  let i = from + 1
  while (i < text.length) {
    const c = text[i]
    if (c === '\\') i += 2
    else if (c === quote) {
      if (text[i + 1] === quote) i += 2
      else return i + 1
    } else i++
  }
  throw new SqlScanError(
    quote === "'" ? 'Single quoted string is not closed' : 'Quoted identifier is not closed',
  )
}
