/**
 * The ClickHouse JDBC driver from Maven Central (com.clickhouse:clickhouse-jdbc 0.10.0, what
 * DBeaver, Metabase and most BI tools use over HTTP) against the local server, with its default
 * settings: it asks for results in ClickHouse's compressed frame (compress=1) and checks each
 * frame's CityHash128, so a frame this server writes wrongly fails the connection.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { testClickHouse, uniqueName } from '@opstream/runtime/testing/stack'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { cityHash128 } from './core/native-compression.ts'

const run = promisify(execFile)
const dir = fileURLToPath(new URL('../../../test/jdbc/', import.meta.url))
let classpath: string

beforeAll(async () => {
  const out = `${dir}target/classpath.txt`
  await run(
    'mvn',
    ['-q', '-B', '-f', `${dir}pom.xml`, 'dependency:build-classpath', `-Dmdep.outputFile=${out}`],
    {
      timeout: 300_000,
    },
  )
  classpath = (await readFile(out, 'utf8')).trim()
}, 320_000)

describe('JDBC', () => {
  it('connects, lists tables and runs a parameterised SELECT as the read-only user', async () => {
    const database = uniqueName('jdbc')
    const ch = await testClickHouse(database)
    await ch.client.command({ query: 'CREATE TABLE kv (k String, v UInt64) ENGINE = MergeTree ORDER BY k' })
    await ch.client.command({ query: 'CREATE TABLE other (a UInt8) ENGINE = MergeTree ORDER BY a' })
    await ch.client.command({
      query: "INSERT INTO kv SELECT concat('k', toString(number)), number FROM numbers(5000)",
    })
    await ch.close()
    const url = new URL(inject('clickhouseUrl'))
    const auth = inject('clickhouseAuth')
    const { stdout } = await run(
      'java',
      [
        '-cp',
        classpath,
        `${dir}JdbcCheck.java`,
        `jdbc:clickhouse://${url.host}/${database}`,
        auth.readerUser,
        auth.readerPassword,
        database,
      ],
      { timeout: 120_000 },
    )
    const lines = stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^product\tClickHouse\t\d+\.\d+/)
    expect(lines.filter((l) => l.startsWith('table\t'))).toEqual(['table\tkv', 'table\tother'])
    // v >= 4990 AND k LIKE 'k%' ORDER BY v LIMIT 3
    expect(lines.filter((l) => l.startsWith('row\t'))).toEqual([
      'row\tk4990\t4990',
      'row\tk4991\t4991',
      'row\tk4992\t4992',
    ])
  })

  it("computes CityHash128 as the driver's own implementation does, for every length class", async () => {
    const inputs = [0, 1, 3, 4, 8, 9, 15, 16, 17, 31, 32, 64, 127, 128, 129, 160, 255, 256, 1000, 4099].map(
      (n) => randomBytes(n),
    )
    const child = execFile('java', ['-cp', classpath, `${dir}CityHashCheck.java`], { timeout: 120_000 })
    const output = new Promise<string>((resolve, reject) => {
      let text = ''
      child.stdout?.on('data', (c: Buffer) => {
        text += c.toString()
      })
      child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`exit ${code}`))))
    })
    child.stdin?.end(`${inputs.map((b) => b.toString('hex')).join('\n')}\n`)
    const theirs = (await output).trim().split('\n')
    const ours = inputs.map((b) =>
      cityHash128(b)
        .map((h) => h.toString(16))
        .join(' '),
    )
    expect(ours).toEqual(theirs)
  })
})
