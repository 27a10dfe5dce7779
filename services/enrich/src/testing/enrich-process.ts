import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { waitFor } from '@opstream/runtime/testing/stack'

const main = fileURLToPath(new URL('../main.ts', import.meta.url))

export interface EnrichProcess {
  child: ChildProcess
  stderr: string[]
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** Runs the real enrich service (main.ts) as a child process and waits until it is ready. */
export async function startEnrich(env: Record<string, string>): Promise<EnrichProcess> {
  const child = spawn(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', main], {
    env: { ...process.env, ENRICH_HTTP_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr: string[] = []
  let ready = false
  let buffered = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    if (lines.some((l) => l.includes('"msg":"ready"'))) ready = true
  })
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()))
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`enrich exited with ${child.exitCode}: ${stderr.join('')}`)
      return ready
    },
    { what: 'enrich ready', timeoutMs: 60_000 },
  )
  return {
    child,
    stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exit
    },
  }
}
