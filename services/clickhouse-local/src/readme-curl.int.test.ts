/**
 * The README's curl examples, run as written against the run's server: each command in the
 * block, and every `# →` line after it is the output it must print (`…` stands for anything).
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { describe, expect, inject, it } from 'vitest'

const run = promisify(execFile)
const README = new URL('../../../README.md', import.meta.url)

interface Example {
  command: string
  expected: string[]
}

function examples(readme: string): Example[] {
  const marker = readme.indexOf('<!-- the curl examples:')
  const start = readme.indexOf('```sh\n', marker) + 6
  const block = readme.slice(start, readme.indexOf('```', start))
  const out: Example[] = []
  let pending = ''
  for (const line of block.split('\n')) {
    if (line.startsWith('# → ')) (out[out.length - 1] as Example).expected.push(line.slice(4))
    else if (line.trim() !== '') {
      pending += `${line}\n`
      if (!line.endsWith('\\') && !line.endsWith('|')) {
        out.push({ command: pending, expected: [] })
        pending = ''
      }
    }
  }
  return out
}

const matches = (line: string, expected: string) =>
  new RegExp(
    `^${expected
      .split('…')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(line)

describe('README curl examples', () => {
  it('print what the README says they print', async () => {
    const list = examples(await readFile(README, 'utf8'))
    expect(list.length).toBeGreaterThanOrEqual(6)
    const auth = inject('clickhouseAuth')
    for (const ex of list) {
      const command = ex.command
        .replaceAll('http://127.0.0.1:8123', inject('clickhouseUrl'))
        .replaceAll('opstream:opstream', `${auth.user}:${auth.password}`)
        .replaceAll('reader:reader', `${auth.readerUser}:${auth.readerPassword}`)
      const { stdout } = await run('bash', ['-o', 'pipefail', '-c', command.replaceAll('curl ', 'curl -sS ')])
      const lines = stdout.split('\n').filter((l) => l !== '')
      expect([ex.command, lines.length]).toEqual([ex.command, ex.expected.length])
      ex.expected.forEach((e, i) => {
        expect([ex.command, lines[i], matches(lines[i] ?? '', e)]).toEqual([ex.command, lines[i], true])
      })
    }
  })
})
