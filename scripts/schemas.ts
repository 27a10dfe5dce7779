/**
 * `npm run schemas:types`  regenerate the TypeScript types from schemas/
 * `npm run schemas:check`  fail when the newest version of a subject is not backward and
 *                          forward compatible with the previous one, or the types are stale
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { checkCompatibility, formatProblem } from '@opstream/runtime/contract/compatibility'
import { loadSchemaCatalog } from '@opstream/runtime/contract/schema-catalog'
import { generateTypes } from '@opstream/runtime/contract/type-gen'

const root = fileURLToPath(new URL('../', import.meta.url))
const schemasDir = `${root}schemas`
const generatedDir = `${root}services/runtime/src/contract/generated`

const index = JSON.parse(readFileSync(`${schemasDir}/registry.json`, 'utf8')) as {
  subjects: Array<{ subject: string; versions: Array<{ file: string }> }>
}
const folderOf = new Map(
  index.subjects.map((s) => [s.subject, (s.versions[0]?.file ?? s.subject).split('/')[0]]),
)
const fileOf = (subject: string) => `${folderOf.get(subject)}.ts`

const catalog = loadSchemaCatalog(schemasDir)
const generated = generateTypes(catalog, fileOf)
const command = process.argv[2]

if (command === 'types') {
  for (const [file, text] of generated) writeFileSync(`${generatedDir}/${file}`, text)
  process.stdout.write(`wrote ${generated.size} files to ${generatedDir}\n`)
} else if (command === 'check') {
  const failures: string[] = []
  for (const p of checkCompatibility(catalog)) failures.push(formatProblem(p))
  const present = new Set(readdirSync(generatedDir).filter((f) => f.endsWith('.ts')))
  for (const [file, text] of generated) {
    const current = present.has(file) ? readFileSync(`${generatedDir}/${file}`, 'utf8') : undefined
    if (current !== text) failures.push(`generated types ${file} are stale: run npm run schemas:types`)
    present.delete(file)
  }
  for (const file of present) failures.push(`generated types ${file} have no schema: delete it`)
  if (failures.length > 0) {
    process.stderr.write(`schema check failed:\n${failures.join('\n')}\n`)
    process.exit(1)
  }
  const subjects = catalog.subjects()
  process.stdout.write(
    `schemas ok: ${subjects.length} subjects, ${subjects.reduce((n, s) => n + catalog.versions(s).length, 0)} versions, types current\n`,
  )
} else {
  process.stderr.write('usage: schemas.ts types|check\n')
  process.exit(2)
}
