import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { waitFor } from './stack.ts'

export interface ServiceProcess {
  child: ChildProcess
  /** The health and metrics base URL, http://127.0.0.1:<port>. */
  base: string
  stderr: string[]
  /** How many log lines carried each message so far. */
  logged: Map<string, number>
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** The flags `npm start` runs the services with (scripts/start.ts). */
const NODE_FLAGS = ['--max-semi-space-size=32']

/**
 * Runs a real service (its main.ts) as a child process, HTTP on a free port, and waits until it
 * logs "ready". `portVar` is the service's HTTP port variable, e.g. INGEST_HTTP_PORT.
 */
export async function startService(opts: {
  name: string
  main: string
  portVar: string
  env: Record<string, string>
  timeoutMs?: number
}): Promise<ServiceProcess> {
  // SERVICE_NODE_FLAGS adds flags to every service process (for example --cpu-prof for a profile).
  const extra = process.env.SERVICE_NODE_FLAGS?.split(' ').filter(Boolean) ?? []
  const child = spawn(process.execPath, [...NODE_FLAGS, ...extra, '--import', 'tsx', opts.main], {
    env: { ...process.env, [opts.portVar]: '0', LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr: string[] = []
  let port: number | undefined
  let buffered = ''
  const logged = new Map<string, number>()
  // SERVICE_LOG_DIR keeps each child's log lines in a file there, for a look after a failure.
  const keep = process.env.SERVICE_LOG_DIR
    ? createWriteStream(join(process.env.SERVICE_LOG_DIR, `${opts.name}-${Date.now()}.log`))
    : null
  child.stdout?.on('data', (chunk: Buffer) => {
    keep?.write(chunk)
    buffered += chunk.toString()
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      const msg = /"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1]
      if (msg !== undefined) logged.set(msg, (logged.get(msg) ?? 0) + 1)
      if (msg === 'ready') port = (JSON.parse(line) as { port: number }).port
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()))
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  await waitFor(
    () => {
      if (child.exitCode !== null)
        throw new Error(`${opts.name} exited with ${child.exitCode}: ${stderr.join('')}`)
      return port
    },
    { what: `${opts.name} ready`, timeoutMs: opts.timeoutMs ?? 60_000 },
  )
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    stderr,
    logged,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exit
    },
  }
}
