/**
 * Starts the local ClickHouse server as a child process and waits until it answers — for
 * `npm start`, the integration stack and the benchmarks, which all run the same server.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { threadPoolSizeFor } from './config.ts'

const main = fileURLToPath(new URL('./main.ts', import.meta.url))

export interface LocalClickHouse {
  url: string
  child: ChildProcess
  /** Ends the server (SIGTERM drains running queries first) and resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export interface LocalClickHouseOptions {
  dataDir: string
  /** 0 picks a free port. */
  port: number
  host?: string
  env?: Record<string, string>
  /** Where its JSON log lines go (appended); by default they are dropped. */
  logFile?: string
  timeoutMs?: number
}

export async function startLocalClickHouse(opts: LocalClickHouseOptions): Promise<LocalClickHouse> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: {
      ...process.env,
      CHDB_PATH: opts.dataDir,
      CLICKHOUSE_LOCAL_PORT: String(opts.port),
      CLICKHOUSE_LOCAL_HOST: opts.host ?? '127.0.0.1',
      LOG_LEVEL: process.env.CLICKHOUSE_LOCAL_LOG_LEVEL ?? 'info',
      // The server ends itself when this process is gone, however it ended.
      CLICKHOUSE_LOCAL_PARENT_PID: String(process.pid),
      ...opts.env,
      UV_THREADPOOL_SIZE: threadPoolSizeFor({ ...process.env, ...opts.env }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const log = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : undefined
  const stderr: string[] = []
  child.stderr?.on('data', (c: Buffer) => {
    stderr.push(c.toString())
    log?.write(c)
  })
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the local ClickHouse server did not start within ${opts.timeoutMs ?? 60_000} ms`))
    }, opts.timeoutMs ?? 60_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      log?.write(chunk)
      buffered += chunk.toString()
      const m = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"ClickHouse HTTP interface listening"/.exec(buffered)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1])
      }
      buffered = buffered.slice(-4096)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the local ClickHouse server exited with ${code}: ${stderr.join('').trim()}`))
    })
  })
  return {
    url,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const code = await exit
      log?.end()
      return code
    },
  }
}
