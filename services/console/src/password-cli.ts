/**
 * `npm run console:password`: reads a password (on a terminal twice, without echo; else one line
 * of standard input) and prints its scrypt hash for CONSOLE_PASSWORD_HASH.
 */
import { hashPassword } from './core/password.ts'

/** One line from a terminal in raw mode, echoing nothing; Ctrl-C aborts. */
function askHidden(question: string): Promise<string> {
  process.stderr.write(question)
  const stdin = process.stdin
  stdin.setRawMode(true)
  stdin.resume()
  return new Promise((resolve, reject) => {
    let typed = ''
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\u0003') return done(() => reject(new Error('aborted')))
        if (ch === '\r' || ch === '\n') return done(() => resolve(typed))
        typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch
      }
    }
    const done = (then: () => void) => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      then()
    }
    stdin.on('data', onData)
  })
}

async function firstLine(): Promise<string> {
  let text = ''
  for await (const chunk of process.stdin) text += chunk
  return text.split(/\r?\n/)[0] ?? ''
}

async function main(): Promise<void> {
  const tty = process.stdin.isTTY
  const password = tty ? await askHidden('password: ') : await firstLine()
  if (tty && (await askHidden('again: ')) !== password) throw new Error('the two passwords differ')
  if (password.length < 8) throw new Error('use at least 8 characters')
  process.stdout.write(`CONSOLE_PASSWORD_HASH=${await hashPassword(password)}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`console:password: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
