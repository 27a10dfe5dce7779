import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createDecoder, createEncoder } from './codec.ts'
import { checkCompatibility, formatProblem } from './compatibility.ts'
import { builtInCatalog } from './contract.ts'
import { fileRegistry } from './registry.ts'
import { loadSchemaCatalog } from './schema-catalog.ts'

const fixtures = loadSchemaCatalog(
  fileURLToPath(new URL('../../../../test/fixtures/schemas-evolution/', import.meta.url)),
)
const registry = fileRegistry(fixtures)

describe('schema evolution', () => {
  it('the released schemas pass the check', () => {
    expect(checkCompatibility(builtInCatalog())).toEqual([])
  })

  it('a breaking change fails, naming each field', () => {
    const problems = checkCompatibility(fixtures)
    expect(problems.map((p) => [p.subject, p.direction])).toEqual([
      ['test.Broken', 'backward'],
      ['test.Broken', 'forward'],
    ])
    const backward = problems[0]?.details ?? []
    expect(backward).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^test\.Broken\.qty: int cannot be read as boolean/),
        "test.Broken.region: not in the writer's schema and has no default",
      ]),
    )
    expect(problems[1]?.details).toEqual([
      expect.stringMatching(/^test\.Broken\.qty: boolean cannot be read as int/),
    ])
    expect(formatProblem(problems[0] as (typeof problems)[0])).toContain(
      'test.Broken: v2 cannot read data written with v1',
    )
  })

  it('an old writer is read by the new reader (defaults fill added fields)', async () => {
    const v1 = fixtures.get('test.Order', 1)
    if (!v1) throw new Error('fixture')
    const oldBytes = Buffer.concat([
      Buffer.from([0, 0, 0, 0, v1.id]),
      v1.type.toBuffer({ id: 'o1', amount: '12.30', note: 'x' }),
    ])
    const newReader = await createDecoder(registry, 'test.Order')
    expect(await newReader.decode(oldBytes)).toEqual({ id: 'o1', amount: '12.30', channel: null })
  })

  it('a new writer is read by the old reader (removed fields take their default)', async () => {
    const newWriter = await createEncoder(registry, 'test.Order')
    const bytes = newWriter.encode({ id: 'o2', amount: '-5.00', channel: 'toutiao' })
    const oldReader = await createDecoder(registry, 'test.Order', fixtures.get('test.Order', 1)?.type)
    expect(await oldReader.decode(bytes)).toEqual({ id: 'o2', amount: '-5.00', note: '' })
  })

  it('refuses to resolve a writer the reader cannot read', async () => {
    const v1 = fixtures.get('test.Broken', 1)
    if (!v1) throw new Error('fixture')
    const bytes = Buffer.concat([Buffer.from([0, 0, 0, 0, v1.id]), v1.type.toBuffer({ id: 'a', qty: 3 })])
    const reader = await createDecoder(registry, 'test.Broken')
    await expect(reader.decode(bytes)).rejects.toMatchObject({ kind: 'incompatible_schema' })
  })
})
