import { describe, expect, it } from 'vitest'
import { ClickHouseError, fromEngineMessage, httpStatusOf } from './clickhouse-error.ts'
import { type PlanInput, planQuery, type QueryPlan } from './query-plan.ts'
import { type RequestParams, readRequestParams } from './request-params.ts'
import { authenticate, credentialsOf, parseUsers, sha256Hex } from './users.ts'

const users = parseUsers(`w:writer:${sha256Hex('wpw')},r:reader:${sha256Hex('rpw')}`)
const [writer, reader] = users as [(typeof users)[0], (typeof users)[0]]

function params(search: string): RequestParams {
  const p = readRequestParams(new URLSearchParams(search))
  if (p instanceof ClickHouseError) throw p
  return p
}

function plan(
  input: Partial<Omit<PlanInput, 'body'>> & { search?: string; body?: Buffer | string },
): QueryPlan | ClickHouseError {
  return planQuery({
    method: input.method ?? 'POST',
    user: input.user ?? writer,
    params: params(input.search ?? ''),
    body: Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body ?? ''),
    readerSettings: new Map([['max_execution_time', '60']]),
  })
}

function errorOf(p: QueryPlan | ClickHouseError): string {
  if (!(p instanceof ClickHouseError)) throw new Error(`expected an error, got a plan for ${p.sql}`)
  return `${p.errorName}: ${p.text}`
}

describe('request parameters', () => {
  it('sorts handler parameters, query parameters and settings', () => {
    const p = params(
      'query=SELECT+1&database=db&default_format=JSON&param_x=1&max_threads=2&enable_http_compression=1',
    )
    expect(p).toMatchObject({
      query: 'SELECT 1',
      database: 'db',
      defaultFormat: 'JSON',
      params: { x: '1' },
      settings: { max_threads: '2' },
      httpSettings: { enable_http_compression: '1' },
    })
  })
  it('refuses sessions, which this server does not keep', () => {
    const p = readRequestParams(new URLSearchParams('session_id=abc'))
    expect(p instanceof ClickHouseError && p.errorName).toBe('NOT_IMPLEMENTED')
  })
})

describe('users', () => {
  it('reads credentials the three ways ClickHouse accepts, one at a time', () => {
    const basic = `Basic ${Buffer.from('w:wpw').toString('base64')}`
    expect(credentialsOf({ authorization: basic })).toEqual({ user: 'w', password: 'wpw' })
    expect(credentialsOf({ headerUser: 'r', headerKey: 'rpw' })).toEqual({ user: 'r', password: 'rpw' })
    expect(credentialsOf({ paramUser: 'r', paramPassword: 'rpw' })).toEqual({ user: 'r', password: 'rpw' })
    expect(credentialsOf({})).toEqual({ user: 'default', password: '' })
    expect(credentialsOf({ authorization: basic, paramUser: 'r' })).toBeInstanceOf(ClickHouseError)
  })
  it('answers an unknown user and a wrong password alike', () => {
    expect(authenticate(users, { user: 'w', password: 'wpw' })).toBe(writer)
    const wrong = authenticate(users, { user: 'w', password: 'nope' }) as ClickHouseError
    const unknown = authenticate(users, { user: 'x', password: 'wpw' }) as ClickHouseError
    expect([wrong.errorName, unknown.errorName]).toEqual(['AUTHENTICATION_FAILED', 'AUTHENTICATION_FAILED'])
    expect(httpStatusOf(wrong)).toBe(403)
  })
  it('refuses a user entry that is not name:role:sha256', () => {
    expect(() => parseUsers('w:admin:00')).toThrow('role must be writer or reader')
    expect(() => parseUsers('w:writer:secret')).toThrow('SHA-256')
  })
})

describe('planQuery', () => {
  it('splits an INSERT in the body at its data, byte for byte', () => {
    const data = Buffer.from([0x01, 0x00, 0xff, 0x0a, 0xe4, 0xb8, 0xad])
    const head = "INSERT INTO t SETTINGS x = '中' FORMAT RowBinary\n"
    const p = plan({ body: Buffer.concat([Buffer.from(head), data]) }) as QueryPlan
    expect(p.sql).toBe(head)
    expect(p.data?.equals(data)).toBe(true)
  })
  it('takes the body as the data of an INSERT given in the URL', () => {
    const p = plan({
      search: `query=${encodeURIComponent('INSERT INTO t FORMAT CSV')}`,
      body: '1,2\n',
    }) as QueryPlan
    expect([p.sql, p.data?.toString()]).toEqual(['INSERT INTO t FORMAT CSV', '1,2\n'])
  })
  it('continues a URL query with the body otherwise', () => {
    const p = plan({ search: 'query=SELECT', body: '1 FORMAT JSON' }) as QueryPlan
    expect([p.sql, p.outputFormat]).toEqual(['SELECT\n1 FORMAT JSON', 'JSON'])
    expect((plan({ search: 'default_format=CSV', body: 'SELECT 1' }) as QueryPlan).outputFormat).toBe('CSV')
  })
  it('lets GET read but not write, as ClickHouse does', () => {
    expect(plan({ method: 'GET', search: 'query=SELECT+1' })).not.toBeInstanceOf(ClickHouseError)
    expect(errorOf(plan({ method: 'GET', search: 'query=DROP+TABLE+t' }))).toMatch(
      /^READONLY: .*method GET implies readonly/,
    )
    expect(plan({ method: 'GET', search: 'query=SELECT+1&max_threads=1' })).not.toBeInstanceOf(
      ClickHouseError,
    )
  })
  it('refuses a reader every write and every setting change', () => {
    for (const body of [
      'INSERT INTO t VALUES (1)',
      'CREATE TABLE t (a UInt8) ENGINE = Memory',
      'DROP TABLE t',
      'ALTER TABLE t DELETE WHERE 1',
      'SYSTEM FLUSH LOGS',
      'TRUNCATE TABLE t',
      'OPTIMIZE TABLE t',
    ])
      expect(errorOf(plan({ user: reader, body }))).toBe('READONLY: r: Cannot execute query in readonly mode')
    expect(errorOf(plan({ user: reader, body: 'SET max_threads = 1' }))).toBe(
      "READONLY: Cannot modify 'max_threads' setting in readonly mode",
    )
    expect(errorOf(plan({ user: reader, body: 'SELECT 1 SETTINGS readonly = 0' }))).toBe(
      "READONLY: Cannot modify 'readonly' setting in readonly mode",
    )
    expect(errorOf(plan({ user: reader, search: 'max_threads=1', body: 'SELECT 1' }))).toBe(
      "READONLY: Cannot modify 'max_threads' setting in readonly mode",
    )
    const restated = plan({ user: reader, search: 'max_execution_time=60', body: 'SELECT 1' }) as QueryPlan
    expect(restated.settings).toEqual({})
    expect(plan({ user: reader, body: 'SELECT 1' })).not.toBeInstanceOf(ClickHouseError)
  })
  it('refuses a second statement, an empty query and INTO OUTFILE', () => {
    expect(errorOf(plan({ body: 'SELECT 1; DROP TABLE t' }))).toMatch(/Multi-statements are not allowed/)
    expect(errorOf(plan({ body: '  ' }))).toBe('SYNTAX_ERROR: Empty query')
    expect(errorOf(plan({ body: "SELECT 1 INTO OUTFILE 'x'" }))).toMatch(/^INTO_OUTFILE_NOT_ALLOWED/)
  })
})

describe('engine errors', () => {
  it('keeps the engine text and takes the status from the name', () => {
    const msg =
      'Code: 33. DB::Exception: Cannot read all data. Bytes read: 1. Bytes expected: 9: (at row 1)\n: While executing BinaryRowInputFormat. (CANNOT_READ_ALL_DATA)'
    const e = fromEngineMessage(msg)
    expect([e.code, e.errorName, e.message]).toEqual([33, 'CANNOT_READ_ALL_DATA', msg])
    expect(httpStatusOf(e)).toBe(500)
    expect(fromEngineMessage(`Code: 33. DB::Exception: ${msg}`).message).toBe(msg)
    expect(httpStatusOf(fromEngineMessage('Code: 60. DB::Exception: Unknown table x. (UNKNOWN_TABLE)'))).toBe(
      404,
    )
    expect(httpStatusOf(fromEngineMessage('Code: 62. DB::Exception: Syntax error. (SYNTAX_ERROR)'))).toBe(400)
  })
})

describe('planQuery, INSERT data in the URL', () => {
  it('reads data that begins in the URL and goes on in the body as one', () => {
    const p = plan({
      search: `query=${encodeURIComponent('INSERT INTO t VALUES (1),')}`,
      body: '(2)',
    }) as QueryPlan
    expect([p.sql, p.data?.toString()]).toEqual(['INSERT INTO t VALUES', ' (1),(2)'])
    const empty = plan({
      search: `query=${encodeURIComponent('INSERT INTO t FORMAT RowBinary')}`,
    }) as QueryPlan
    expect(empty.data?.length).toBe(0)
  })
})
