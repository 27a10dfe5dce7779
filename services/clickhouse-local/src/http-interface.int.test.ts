/**
 * The local server through clients nobody here wrote: @clickhouse/client and curl against the
 * run's server; bounds and failures against a server of the test's own, started small.
 */
import { execFile } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ClickHouseError, createClient } from '@clickhouse/client'
import { testClickHouse, uniqueName, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type LocalClickHouse, startLocalClickHouse } from './server-process.ts'

const run = promisify(execFile)
const database = uniqueName('chl')
const url = () => inject('clickhouseUrl')
const auth = () => inject('clickhouseAuth')

function client(as: 'writer' | 'reader', base = url()) {
  const a = auth()
  return createClient({
    url: base,
    username: as === 'writer' ? a.user : a.readerUser,
    password: as === 'writer' ? a.password : a.readerPassword,
    database,
  })
}

/** A raw POST: status, the exception code header and the body as text. */
async function post(
  path: string,
  body: Buffer | string,
  opts: { user?: string; password?: string; base?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; code: string | null; text: string; bytes: Buffer }> {
  const a = auth()
  const res = await fetch(`${opts.base ?? url()}${path}`, {
    method: 'POST',
    body,
    headers: {
      authorization: `Basic ${Buffer.from(`${opts.user ?? a.user}:${opts.password ?? a.password}`).toString('base64')}`,
      ...opts.headers,
    },
  })
  const bytes = Buffer.from(await res.arrayBuffer())
  return {
    status: res.status,
    code: res.headers.get('x-clickhouse-exception-code'),
    text: bytes.toString(),
    bytes,
  }
}

const q = (sql: string) => `/?database=${database}&query=${encodeURIComponent(sql)}`

beforeAll(async () => {
  const ch = await testClickHouse(database)
  await ch.client.command({
    query:
      'CREATE TABLE bin (id UInt32, s String, d Decimal(18, 2), t DateTime64(3)) ENGINE = MergeTree ORDER BY id',
  })
  await ch.close()
})

describe('@clickhouse/client against the local server', () => {
  it('queries, inserts, binds parameters, streams and reports errors', async () => {
    const c = client('writer')
    await c.command({ query: 'CREATE TABLE kv (k String, v UInt64) ENGINE = MergeTree ORDER BY k' })
    await c.insert({
      table: 'kv',
      values: Array.from({ length: 5_000 }, (_, i) => ({ k: `k${i}`, v: i })),
      format: 'JSONEachRow',
    })
    const rs = await c.query({
      query: 'SELECT count() AS n, sum(v) AS s FROM kv WHERE v >= {from:UInt64}',
      query_params: { from: 1_000 },
      format: 'JSONEachRow',
    })
    // Σ 1000..4999 = (1000 + 4999) × 4000 / 2
    expect(await rs.json()).toEqual([{ n: 4000, s: 11998000 }])
    const stream = (
      await c.query({ query: 'SELECT k FROM kv ORDER BY v', format: 'JSONCompactEachRow' })
    ).stream()
    let rows = 0
    for await (const batch of stream) rows += (batch as unknown[]).length
    expect(rows).toBe(5_000)
    const err = await c.query({ query: 'SELECT * FROM no_such_table' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ClickHouseError)
    expect((err as ClickHouseError).code).toBe('60')
    expect((err as ClickHouseError).type).toBe('UNKNOWN_TABLE')
    expect(await c.ping()).toMatchObject({ success: true })
    await c.close()
  })

  it('lets the read-only user read and refuses it every kind of write, as ClickHouse does', async () => {
    const r = client('reader')
    const rows = await (await r.query({ query: 'SELECT count() AS n FROM kv', format: 'JSONEachRow' })).json()
    expect(rows).toEqual([{ n: 5000 }])
    const writes = [
      "INSERT INTO kv VALUES ('x', 1)",
      'CREATE TABLE x (a UInt8) ENGINE = Memory',
      'DROP TABLE kv',
      'ALTER TABLE kv DELETE WHERE 1',
      'SET max_threads = 1',
      'SYSTEM FLUSH LOGS',
      'TRUNCATE TABLE kv',
    ]
    for (const query of writes) {
      const e = (await r.command({ query }).catch((x: unknown) => x)) as ClickHouseError
      expect([query, e.code, e.type]).toEqual([query, '164', 'READONLY'])
    }
    const setting = (await r
      .query({ query: 'SELECT 1', clickhouse_settings: { max_threads: 1 } })
      .catch((x: unknown) => x)) as ClickHouseError
    expect([setting.code, setting.message]).toEqual([
      '164',
      "Cannot modify 'max_threads' setting in readonly mode. ",
    ])
    await r.close()
    const count = await (
      await client('writer').query({ query: 'SELECT count() AS n FROM kv', format: 'JSONEachRow' })
    ).json()
    expect(count).toEqual([{ n: 5000 }])
    for (const [user, password] of [
      ['nobody', 'x'],
      [auth().readerUser, 'wrong'],
    ] as const) {
      const res = await post('/?query=SELECT+1', '', { user, password })
      expect([res.status, res.code]).toEqual([403, '516'])
      expect(res.text).toMatch(
        /Authentication failed: password is incorrect, or there is no user with such name/,
      )
    }
  })
})

describe('no state between requests', () => {
  it('keeps neither a setting, a database nor a temporary table from one request to the next', async () => {
    // Run each several times: the server reuses engine connections, and none may carry state.
    for (let i = 0; i < 4; i++) {
      expect(
        (await post(`/?max_threads=1&query=${encodeURIComponent("SELECT getSetting('max_threads')")}`, ''))
          .text,
      ).toBe('1\n')
      expect((await post('/', 'CREATE TEMPORARY TABLE tmp (a UInt8)')).status).toBe(200)
      expect((await post('/', 'USE system')).status).toBe(200)
    }
    for (let i = 0; i < 8; i++) {
      expect((await post('/', "SELECT getSetting('max_threads') != 1")).text).toBe('1\n')
      expect((await post('/', 'SELECT currentDatabase()')).text).toBe('default\n')
      expect((await post('/', 'EXISTS TEMPORARY TABLE tmp')).text).toBe('0\n')
    }
  })
})

describe('binary formats', () => {
  it('inserts RowBinary, Native, Parquet and Avro byte-exact', async () => {
    const nasty = Buffer.from([0x00, 0xff, 0x0a, 0x0d, 0x27, 0x5c, 0xe4, 0xb8, 0xad, 0x80])
    // A RowBinary row built by hand: UInt32 LE, String (LEB128 length + bytes), Decimal64 LE, DateTime64(3) LE.
    const row = Buffer.concat([
      Buffer.from([7, 0, 0, 0, nasty.length]),
      nasty,
      Buffer.from(new BigInt64Array([12345n]).buffer),
      Buffer.from(new BigInt64Array([1_764_000_000_123n]).buffer),
    ])
    const ins = await post(q('INSERT INTO bin FORMAT RowBinary'), row)
    expect(ins.status).toBe(200)
    // The same table read out in each format by the engine, then inserted again in that format.
    for (const [i, format] of ['RowBinary', 'Native', 'Parquet', 'Avro'].entries()) {
      const out = await post(
        q(
          `SELECT toUInt32(${100 + i}) AS id, s, d, t FROM (SELECT s, d, t FROM bin WHERE id = 7) FORMAT ${format}`,
        ),
        '',
      )
      expect(out.status).toBe(200)
      const back = await post(q(`INSERT INTO bin FORMAT ${format}`), out.bytes)
      expect([format, back.status, back.text]).toEqual([format, 200, ''])
    }
    const check = await post(
      q('SELECT id, hex(s), d, toUnixTimestamp64Milli(t) FROM bin ORDER BY id FORMAT CSV'),
      '',
    )
    const expected = `"${nasty.toString('hex').toUpperCase()}",123.45,1764000000123`
    expect(check.text.trim().split('\n')).toEqual([7, 100, 101, 102, 103].map((id) => `${id},${expected}`))
  })

  it('answers a truncated binary body with the engine error and goes on serving', async () => {
    const res = await post(q('INSERT INTO bin FORMAT RowBinary'), Buffer.from([1, 0, 0, 0, 9, 1]))
    expect(res.code).toBe('33')
    expect(res.text).toMatch(
      /^Code: 33\. DB::Exception: Cannot read all data\..*\(CANNOT_READ_ALL_DATA\) \(version [^)]+\)\n$/s,
    )
    expect((await post(q('SELECT count() FROM bin'), '')).text).toBe('5\n')
  })
})

describe('bad input and bounds (a server of its own)', () => {
  let server: LocalClickHouse
  beforeAll(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'opstream-chl-bounds-'))
    server = await startLocalClickHouse({
      dataDir,
      port: 0,
      logFile: join(dataDir, 'server.log'),
      env: {
        CLICKHOUSE_LOCAL_MAX_BODY_BYTES: String(1024 * 1024),
        CLICKHOUSE_LOCAL_MAX_CONCURRENT_QUERIES: '2',
        CLICKHOUSE_LOCAL_WRITER_RESERVED: '1',
        CLICKHOUSE_LOCAL_READER_MAX_EXECUTION_TIME: '5',
      },
    })
  })
  afterAll(async () => {
    expect(await server.stop('SIGTERM')).toBe(0)
  })

  it('answers malformed SQL, an unknown table and a second statement as ClickHouse does', async () => {
    const base = server.url
    const syntax = await post('/', 'SELEC 1 FROM', { base })
    expect([syntax.status, syntax.code]).toEqual([400, '62'])
    const unknown = await post('/', 'SELECT * FROM default.nope', { base })
    expect([unknown.status, unknown.code]).toEqual([404, '60'])
    const two = await post('/', 'SELECT 1; SELECT 2', { base })
    expect([two.status, two.code]).toEqual([400, '62'])
    expect(two.text).toMatch(/Multi-statements are not allowed/)
  })

  it('refuses a body over the limit, and a reader beyond its share of the slots', async () => {
    const base = server.url
    const big = await post('/', `SELECT '${'x'.repeat(1024 * 1024 + 1)}'`, { base })
    expect([big.status, big.code]).toEqual([413, '229'])
    const a = auth()
    const reader = { base, user: a.readerUser, password: a.readerPassword }
    // One reader slot (2 minus 1 kept for writers): a slow read holds it.
    const slow = post('/', 'SELECT sleepEachRow(0.5) FROM numbers(5)', reader)
    await waitFor(async () => (await metric(base, 'clickhouse_local_queries_running')) >= 1, {
      what: 'the slow read',
    })
    const refused = await post('/', 'SELECT 1', reader)
    expect([refused.status, refused.code]).toEqual([503, '202'])
    const writer = await post('/', 'SELECT 42', { base })
    expect(writer.text).toBe('42\n')
    const answered = await slow
    expect([answered.status, answered.code]).toEqual([200, null])
  })

  it('cancels the query of a client that goes away, and goes on serving', async () => {
    for (const round of [1, 2, 3]) {
      const marker = `cancel_probe_${Date.now()}_${round}`
      const { req } = slowQuery(server.url, marker)
      await waitFor(async () => (await running(server.url, marker)) === 1, { what: 'the long query running' })
      req.destroy()
      await waitFor(
        async () => (await metric(server.url, 'clickhouse_local_queries_cancelled_total')) === round,
        {
          what: 'the server to see the client go',
        },
      )
      await waitFor(async () => (await running(server.url, marker)) === 0, {
        what: 'the query killed and gone from system.processes',
        timeoutMs: 10_000,
      })
    }
    expect((await post('/', 'SELECT 1', { base: server.url })).text).toBe('1\n')
  })

  it('lets the INSERT of a client that goes away run to its end, as ClickHouse does', async () => {
    const marker = `insert_probe_${Date.now()}`
    const base = server.url
    await post('/', `CREATE TABLE ${marker} (n UInt32) ENGINE = MergeTree ORDER BY n`, { base })
    // 30 blocks of one row, a tenth of a second each: a kill would leave a part of them written.
    const { req } = slowQuery(
      base,
      marker,
      `INSERT INTO ${marker} SELECT toUInt32(number) FROM numbers(30) WHERE sleepEachRow(0.1) = 0 SETTINGS max_block_size = 1`,
    )
    await waitFor(async () => (await running(base, marker)) === 1, { what: 'the INSERT running' })
    req.destroy()
    await waitFor(async () => (await running(base, marker)) === 0, {
      what: 'the INSERT done',
      timeoutMs: 20_000,
    })
    const rows = await post('/', `SELECT count(), sum(n) FROM ${marker}`, { base })
    expect(rows.text).toBe(`30\t${(29 * 30) / 2}\n`)
  })
})

describe('many slow queries (a server with the default bounds)', () => {
  let server: LocalClickHouse
  beforeAll(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'opstream-chl-wide-'))
    server = await startLocalClickHouse({ dataDir, port: 0, logFile: join(dataDir, 'server.log') })
  })
  afterAll(async () => {
    expect(await server.stop('SIGTERM')).toBe(0)
  })

  it('runs more slow queries at once than Node’s default 4 worker threads would, then cancels them', async () => {
    const marker = `wide_probe_${Date.now()}`
    const before = await metric(server.url, 'clickhouse_local_queries_cancelled_total')
    const clients = Array.from({ length: 6 }, (_, i) => slowQuery(server.url, `${marker}_${i}`))
    try {
      // Each engine call holds a worker thread: six listed at once means six threads, and the
      // probe that lists them got a seventh.
      await waitFor(async () => (await running(server.url, marker)) === 6, {
        what: 'six slow queries running at once',
      })
    } finally {
      for (const c of clients) c.req.destroy()
    }
    await waitFor(
      async () => (await metric(server.url, 'clickhouse_local_queries_cancelled_total')) === before + 6,
      { what: 'the server to see the six clients go' },
    )
    await waitFor(async () => (await running(server.url, marker)) === 0, {
      what: 'the six queries killed',
      timeoutMs: 10_000,
    })
  })

  it('on SIGTERM, kills what still runs after the grace period and exits 0', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'opstream-chl-term-'))
    // A 9 s shutdown deadline leaves running queries 1 s of grace.
    const own = await startLocalClickHouse({
      dataDir,
      port: 0,
      logFile: join(dataDir, 'server.log'),
      env: { SHUTDOWN_TIMEOUT_MS: '9000' },
    })
    const marker = `term_probe_${Date.now()}`
    const client = slowQuery(own.url, marker)
    try {
      await waitFor(async () => (await running(own.url, marker)) === 1, { what: 'the slow query running' })
      expect(await own.stop('SIGTERM')).toBe(0)
      const answer = await client.answer
      expect(answer.body).toContain('QUERY_WAS_CANCELLED')
    } finally {
      client.req.destroy()
      await own.stop('SIGKILL')
    }
  })
})

describe('curl', () => {
  it('speaks ClickHouse to curl: ping, GET read-only, POST, gzip both ways', async () => {
    const a = auth()
    const curl = async (...args: string[]) => (await run('curl', ['-sS', ...args])).stdout
    expect(await curl(`${url()}/ping`)).toBe('Ok.\n')
    expect(await curl('-u', `${a.user}:${a.password}`, `${url()}/?query=SELECT%201%2B1`)).toBe('2\n')
    const get = await curl('-u', `${a.user}:${a.password}`, '-i', `${url()}/?query=DROP%20TABLE%20x`)
    expect(get).toMatch(/X-ClickHouse-Exception-Code: 164/i)
    expect(get).toMatch(/method GET implies readonly/)
    const gz = await run('bash', [
      '-c',
      `printf 'SELECT sum(number) FROM numbers(1000)' | gzip | curl -sS -u '${a.user}:${a.password}' ` +
        `-H 'Content-Encoding: gzip' -H 'Accept-Encoding: gzip' --data-binary @- '${url()}/?enable_http_compression=1' | gunzip`,
    ])
    expect(gz.stdout).toBe('499500\n')
  })
})

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
  return Number(line?.split(' ').pop() ?? Number.NaN)
}

/** Queries the engine runs now whose text holds `marker`, other than this probe. */
async function running(base: string, marker: string): Promise<number> {
  const res = await post(
    '/',
    `SELECT count() FROM system.processes WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.processes%'`,
    { base },
  )
  return Number(res.text.trim())
}

/**
 * A query that would run for hours at this machine's speed (only a KILL ends it within a test),
 * its text marked, or another marked statement; `req` is the client's side, to go away with
 * `destroy()`.
 */
function slowQuery(
  base: string,
  marker: string,
  sql = `SELECT '${marker}', count() FROM numbers(100000000000) WHERE sipHash64(number) % 7 = 3`,
): { req: http.ClientRequest; answer: Promise<{ body: string }> } {
  const url = new URL(base)
  const a = auth()
  const req = http.request({
    host: url.hostname,
    port: url.port,
    method: 'POST',
    path: '/',
    auth: `${a.user}:${a.password}`,
  })
  const answer = new Promise<{ body: string }>((resolve) => {
    req.on('response', (res) => {
      let body = ''
      res.on('data', (c: Buffer) => {
        body += c.toString()
      })
      res.on('end', () => resolve({ body }))
      res.on('error', () => resolve({ body }))
    })
    req.on('error', (err) => resolve({ body: `client error: ${err.message}` }))
  })
  req.end(sql)
  return { req, answer }
}
