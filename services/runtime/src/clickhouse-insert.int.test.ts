import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testClickHouse } from '../test/support/stack.ts'
import { type ClickHouse, queryRows } from './clickhouse-client.ts'
import { insertRows, settingsClause } from './clickhouse-insert.ts'

describe('insertRows', () => {
  let ch: ClickHouse
  beforeAll(async () => {
    ch = await testClickHouse()
    await ch.client.command({
      query: `CREATE TABLE t (id UInt32, s String, m Map(String, String), n Nullable(Int32))
              ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100`,
    })
  })
  afterAll(() => ch.close())
  const ids = async () =>
    (await queryRows<{ id: number }>(ch.client, 'SELECT id FROM t ORDER BY id')).map((r) => r.id)

  it('writes awkward strings, maps and nulls exactly', async () => {
    const s = `it's a "test" \\ with a tab\t, a newline\n and 注册 — ✓`
    await insertRows(ch.client, 't', [{ id: 1, s, m: { "k'ey": 'v\\al', 渠道: '头条' }, n: null }], 'none')
    const [row] = await queryRows<{ s: string; m: Record<string, string>; n: number | null }>(
      ch.client,
      'SELECT s, m, n FROM t WHERE id = 1',
    )
    expect(row).toEqual({ s, m: { "k'ey": 'v\\al', 渠道: '头条' }, n: null })
  })

  it('drops a block re-sent under its token, writes one under another', async () => {
    await insertRows(ch.client, 't', [{ id: 2, s: 'a', m: {}, n: 1 }], { token: "tok/2's" })
    await insertRows(ch.client, 't', [{ id: 2, s: 'a', m: {}, n: 1 }], { token: "tok/2's" })
    await insertRows(ch.client, 't', [{ id: 3, s: 'a', m: {}, n: 1 }], { token: 'tok/3' })
    expect(await ids()).toEqual([1, 2, 3])
  })

  it('leaves no setting behind: a later INSERT that names no token is not taken for a repeat', async () => {
    await insertRows(ch.client, 't', [{ id: 4, s: 'b', m: {}, n: 2 }], { token: 'tok/4' })
    const [setting] = await queryRows<{ token: string }>(
      ch.client,
      "SELECT getSetting('insert_deduplication_token') AS token",
    )
    expect(setting?.token).toBe('')
    // Without the SETTINGS clause these would carry tok/4 and be dropped as its repeat.
    await ch.client.insert({ table: 't', format: 'JSONEachRow', values: [{ id: 5, s: 'c', m: {}, n: 3 }] })
    await ch.client.insert({ table: 't', format: 'JSONEachRow', values: [{ id: 6, s: 'd', m: {}, n: 4 }] })
    expect(await ids()).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('refuses identifiers that are not plain names and writes nothing for no rows', async () => {
    await expect(insertRows(ch.client, 't; DROP TABLE t', [{ id: 7 }], 'none')).rejects.toThrow(
      /invalid ClickHouse identifier/,
    )
    await expect(insertRows(ch.client, 't', [{ 'id)': 7 }], 'none')).rejects.toThrow(
      /invalid ClickHouse identifier/,
    )
    await insertRows(ch.client, 't', [], { token: 'empty' })
    expect(await ids()).toEqual([1, 2, 3, 4, 5, 6])
    expect(settingsClause({ a: 1, b: "x'y\\z" })).toBe("a = 1, b = 'x\\'y\\\\z'")
  })
})
