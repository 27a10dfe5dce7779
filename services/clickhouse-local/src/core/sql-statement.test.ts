import { describe, expect, it } from 'vitest'
import { readStatement } from './sql-statement.ts'

describe('readStatement', () => {
  it('tells reads from writes by the first keyword, after comments', () => {
    expect(readStatement('  -- note\n/* a /* nested */ one */ select 1').kind).toBe('read')
    expect(readStatement('WITH 1 AS x SELECT x').kind).toBe('read')
    expect(readStatement('(SELECT 1) UNION ALL (SELECT 2)').kind).toBe('read')
    for (const q of ['SHOW TABLES', 'DESC t', 'DESCRIBE TABLE t', 'EXPLAIN SELECT 1', 'EXISTS t'])
      expect(readStatement(q).kind).toBe('read')
    expect(readStatement('CREATE TABLE t (a UInt8) ENGINE = Memory').kind).toBe('other')
    expect(readStatement('DROP TABLE t').kind).toBe('other')
    expect(readStatement('ALTER TABLE t DELETE WHERE 1').kind).toBe('other')
    expect(readStatement('SYSTEM FLUSH LOGS').kind).toBe('other')
    expect(readStatement('insert into t values (1)').kind).toBe('insert')
    expect(readStatement('SET max_threads = 1').kind).toBe('set')
    expect(readStatement('USE db').kind).toBe('use')
  })

  it('finds where inline data starts, without reading the data', () => {
    const q = 'INSERT INTO t (a, `b c`) SETTINGS async_insert = 0 FORMAT RowBinary\n'
    const text = `${q}\u0000\u00ff; DROP TABLE x`
    const st = readStatement(text)
    expect(st.dataStart).toBe(q.length)
    expect(st.multiple).toBe(false)
    expect(st.settings).toEqual(['async_insert'])
    expect(readStatement('INSERT INTO t FORMAT JSONEachRow  \r\n{"a":1}').dataStart).toBe(36)
    expect(readStatement('INSERT INTO t FORMAT TSV 1\t2').dataStart).toBe(25)
    expect(readStatement("INSERT INTO t VALUES (1, 'a;b')").dataStart).toBe(20)
    expect(readStatement('INSERT INTO t FORMAT CSV').dataStart).toBe(24)
    expect(readStatement('INSERT INTO t SELECT * FROM u').dataStart).toBeUndefined()
  })

  it('does not take FORMAT or VALUES inside strings, identifiers or brackets for the clause', () => {
    expect(readStatement("INSERT INTO t SELECT 'FORMAT x' FROM u").dataStart).toBeUndefined()
    expect(readStatement("SELECT format('{}', 'a') FORMAT JSON").format).toBe('JSON')
    expect(readStatement('SELECT `FORMAT` FROM t').format).toBeUndefined()
    expect(readStatement("SELECT 'it''s', \"x\"\"y\", 'a\\'b' FORMAT CSV").format).toBe('CSV')
  })

  it('sees a second statement, but not a trailing semicolon or comment', () => {
    expect(readStatement('SELECT 1;').multiple).toBe(false)
    expect(readStatement('SELECT 1; -- done\n').multiple).toBe(false)
    expect(readStatement('SELECT 1; SELECT 2').multiple).toBe(true)
    expect(readStatement("SELECT ';'").multiple).toBe(false)
  })

  it('names the settings a SET or a top-level SETTINGS clause assigns', () => {
    expect(readStatement("SET a = 1, `b` = 'x, y = 2', c = [1, 2]").settings).toEqual(['a', 'b', 'c'])
    expect(readStatement('SELECT 1 SETTINGS max_threads = 2, readonly = 0').settings).toEqual([
      'max_threads',
      'readonly',
    ])
    expect(readStatement('SELECT * FROM (SELECT 1 SETTINGS max_threads = 2)').settings).toEqual([])
  })

  it('notices a temporary table, whose connection must not serve the next request', () => {
    expect(readStatement('CREATE TEMPORARY TABLE x (a UInt8)').temporary).toBe(true)
    expect(readStatement('CREATE TABLE temporary (a UInt8) ENGINE = Memory').temporary).toBe(false)
    expect(readStatement('SELECT 1 AS temporary').temporary).toBe(false)
  })

  it('notices INTO OUTFILE and empty statements', () => {
    expect(readStatement("SELECT 1 INTO OUTFILE '/tmp/x'").intoOutfile).toBe(true)
    expect(readStatement("SELECT 'INTO OUTFILE'").intoOutfile).toBe(false)
    expect(readStatement(' -- nothing\n').empty).toBe(true)
    expect(readStatement('').empty).toBe(true)
  })

  it('refuses an unclosed string or comment', () => {
    expect(() => readStatement("SELECT 'abc")).toThrow('Single quoted string is not closed')
    expect(() => readStatement('SELECT /* abc')).toThrow('Multi-line comment is not closed')
  })
})
