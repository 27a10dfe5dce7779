import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { brokers, committedToEnd, testKafka, uniqueName, waitFor } from '../test/support/stack.ts'
import type { AdminHandle, KafkaClient } from './kafka-types.ts'

const worker = fileURLToPath(new URL('../../../test/fixtures/runner-worker.ts', import.meta.url))
const PARTITIONS = 6
const MESSAGES = 10_000
const KEYS = 300

interface Line {
  partition: number
  offset: number
  key: string
  seq: number
  pid: number
}

async function readLines(file: string): Promise<Line[]> {
  const text = await readFile(file, 'utf8').catch(() => '')
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const [partition, offset, key, seq, pid] = l.split(' ')
      return {
        partition: Number(partition),
        offset: Number(offset),
        key: key ?? '',
        seq: Number(seq),
        pid: Number(pid),
      }
    })
}

function startWorker(topic: string, groupId: string, out: string): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', worker, brokers().join(','), topic, groupId, out, '1'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  return child
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode)
    else child.once('exit', (code) => resolve(code))
  })
}

/** The invariant under test: every offset below a partition's committed offset was written. */
async function assertCommittedWereWritten(admin: AdminHandle, groupId: string, topic: string, out: string) {
  const lines = await readLines(out)
  const written = new Set(lines.map((l) => `${l.partition}:${l.offset}`))
  const committed = await admin.fetchCommitted(groupId, topic)
  let checked = 0
  for (const { partition, offset } of committed) {
    for (let o = 0; o < Number(offset); o++) {
      expect(
        written.has(`${partition}:${o}`),
        `partition ${partition} offset ${o} committed but never written`,
      ).toBe(true)
      checked++
    }
  }
  return { checked, lines: lines.length }
}

describe('consumer runner under SIGKILL', () => {
  let kafka: KafkaClient
  let admin: AdminHandle
  const topic = uniqueName('runner_crash')
  const groupId = uniqueName('runner_crash_group')
  let out: string
  const children: ChildProcess[] = []

  beforeAll(async () => {
    kafka = testKafka()
    admin = await kafka.admin()
    await admin.createTopics([
      { topic, partitions: PARTITIONS },
      { topic: `${topic}.dlq`, partitions: 1 },
    ])
    out = join(await mkdtemp(join(tmpdir(), 'opstream-runner-')), 'handled.log')
    const producer = await kafka.producer()
    const seqByKey = new Map<string, number>()
    const messages = Array.from({ length: MESSAGES }, (_, i) => {
      const key = `user-${(i * 7919) % KEYS}`
      const seq = (seqByKey.get(key) ?? 0) + 1
      seqByKey.set(key, seq)
      return { key, value: JSON.stringify({ seq }) }
    })
    for (let i = 0; i < messages.length; i += 1000) await producer.send(topic, messages.slice(i, i + 1000))
    await producer.disconnect()
  })

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    await admin?.disconnect()
  })

  it('handles every message at least once, in per-key order, never committing past an unwritten one', async () => {
    for (const killAt of [2_500, 6_000]) {
      const child = startWorker(topic, groupId, out)
      children.push(child)
      await waitFor(async () => (await readLines(out)).length >= killAt, {
        what: `${killAt} handled`,
        timeoutMs: 90_000,
      })
      child.kill('SIGKILL')
      await exited(child)
      const { checked, lines } = await assertCommittedWereWritten(admin, groupId, topic, out)
      process.stdout.write(
        `[runner crash] killed at ${lines} lines; ${checked} committed offsets verified written\n`,
      )
      // Killed mid-way: some progress was committed, and not all of it.
      expect(checked).toBeGreaterThan(0)
      expect(checked).toBeLessThan(MESSAGES)
    }

    const last = startWorker(topic, groupId, out)
    children.push(last)
    await waitFor(() => committedToEnd(admin, groupId, topic), {
      what: 'every partition committed to its end',
      timeoutMs: 120_000,
      intervalMs: 500,
    })
    last.kill('SIGTERM')
    expect(await exited(last)).toBe(0)
    await assertCommittedWereWritten(admin, groupId, topic, out)

    const lines = await readLines(out)
    const distinct = new Set(lines.map((l) => `${l.partition}:${l.offset}`))
    expect(distinct.size).toBe(MESSAGES)
    expect(new Set(lines.map((l) => l.pid)).size).toBe(3)
    // Per key and per process run, sequence numbers only increase (redelivery may repeat a
    // suffix after a restart, never reorder within a run).
    const lastSeq = new Map<string, number>()
    for (const l of lines) {
      const k = `${l.pid}:${l.key}`
      expect(l.seq, `key ${l.key} out of order in run ${l.pid}`).toBeGreaterThan(lastSeq.get(k) ?? 0)
      lastSeq.set(k, l.seq)
    }
    // Every key's messages were all handled: the largest seq seen equals the number sent.
    const seen = new Map<string, Set<number>>()
    for (const l of lines) seen.set(l.key, (seen.get(l.key) ?? new Set()).add(l.seq))
    expect(seen.size).toBe(KEYS)
    for (const [key, seqs] of seen) expect(seqs.size, key).toBe(Math.max(...seqs))
    process.stdout.write(
      `[runner crash] ${lines.length} handlings for ${MESSAGES} messages (${lines.length - MESSAGES} redelivered)\n`,
    )
  })
})
