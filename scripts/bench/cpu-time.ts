import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100

/** CPU seconds another process has used so far (Linux /proc), or null where there is none. */
export function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return null
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  // utime and stime are fields 14 and 15 of stat(5); the split above starts at field 3.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
}

/** CPU seconds a process used between two readings, or null when either is missing. */
export function cpuUsedSince(pid: number | undefined, before: number | null): number | null {
  const now = cpuSecondsOf(pid)
  return now === null || before === null ? null : now - before
}

/** "N.NN CPU-s per 100,000 <what>" for CPU seconds spent on `count` of them. */
export function cpuPer100k(cpuSeconds: number | null, count: number, what: string): string {
  return cpuSeconds === null
    ? 'CPU n/a'
    : `${((cpuSeconds * 100_000) / count).toFixed(2)} CPU-s per 100,000 ${what}`
}

/** The pid of the broker infra/kafka/kafka.sh started with this state folder, if it is running. */
export function brokerPidIn(kafkaDir: string): number | undefined {
  const file = `${kafkaDir}/kafka.pid`
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined
}
