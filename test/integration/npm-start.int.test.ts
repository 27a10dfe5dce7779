/**
 * `npm start` as a new user runs it, in a real terminal (tmux from Debian): a week of the
 * simulated platform's history, then live traffic from a bad Android release whose impressions
 * ingest refuses. The view must appear, its numbers grow, the DLQ grow with ingest's reason, the
 * DLQ alert appear in it soon after the DLQ holds enough (the rule's `for` and two evaluation
 * intervals, plus the alerts' read delay, the series' minute and the health sample), and Ctrl-C
 * must exit 0 leaving none of the processes it started (by pid).
 * The run's broker and ClickHouse are the test's own (KAFKA_BROKERS and CLICKHOUSE_URL set), so
 * what it starts is the services and the simulator.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brokers, clickhouseEnv, uniqueName, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const SESSION = uniqueName('opstream-start')
const log = (line: string) => process.stdout.write(`[npm start] ${line}\n`)

/** The shipped DLQ rule (over 100 messages in 5 minutes), evaluated every 10 s, held for 20 s. */
const DLQ_THRESHOLD = 100
const RULES = {
  interval: '10s',
  rules: [
    {
      name: 'dlq_messages',
      series: { metric: 'dlq_messages' },
      window: '5m',
      condition: { type: 'threshold', op: 'above', value: DLQ_THRESHOLD },
      for: '20s',
      severity: 'ticket',
    },
  ],
}
const FOR_S = 20
const INTERVAL_S = 10
/** What the alert may wait on besides: ALERTS_DELAY_MS, the series' minute, the 5 s health sample. */
const SLACK_S = 15 + 60 + 5

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' })
const screen = () => tmux('capture-pane', '-t', SESSION, '-p')

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

/** The pids of a process and everything below it. */
function tree(pid: number): number[] {
  // ps exits 1 when there are none.
  const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((l) => Number(l.trim()))
    .filter((p) => p > 0)
  return [pid, ...children.flatMap(tree)]
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('npm start in a terminal', () => {
  afterAll(() => {
    try {
      tmux('kill-session', '-t', SESSION)
    } catch {
      // already gone
    }
  })

  it('shows the view, its numbers grow, the incident’s alert appears, and Ctrl-C stops everything', {
    timeout: 900_000,
  }, async () => {
    const started = Date.now()
    const dir = mkdtempSync(join(tmpdir(), 'opstream-start-'))
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(RULES))
    const ports = Object.fromEntries(
      await Promise.all(
        ['INGEST', 'ENRICH', 'AGGREGATE', 'ALERTS', 'CONSOLE'].map(async (s) => [
          `${s}_HTTP_PORT`,
          String(await freePort()),
        ]),
      ),
    )
    const env = {
      ...clickhouseEnv(uniqueName('start')),
      ...ports,
      KAFKA_BROKERS: brokers().join(','),
      KAFKA_TOPIC_PREFIX: `${uniqueName('start')}.`,
      ALERTS_RULES: join(dir, 'rules.json'),
      ALERTS_DELAY_MS: '15000',
      AGGREGATE_HEALTH_SAMPLE_MS: '5000',
    }
    const exports = Object.entries(env)
      .map(([k, v]) => `${k}='${v}'`)
      .join(' ')
    const exitFile = join(dir, 'exit')
    // bash runs npm in the foreground and, once it is gone, writes its exit status; the trap
    // keeps bash itself from dying of the Ctrl-C that goes to npm.
    const command =
      `cd ${root} && trap : INT; env ${exports} npm start -- --history 7d --daily 400 --rate 200 --rhythm flat ` +
      `--incident broken:android:1; echo $? > ${exitFile}; sleep 600`
    tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '50', 'bash', '-c', command)
    const shell = Number(tmux('display-message', '-p', '-t', SESSION, '#{pane_pid}').trim())

    // The view appears, with every stage, and the simulator's history under way.
    await waitFor(() => screen().includes('enrich.profile') && screen().includes('simulator:'), {
      what: 'the view',
      timeoutMs: 180_000,
      intervalMs: 1_000,
    })
    const pids = tree(shell)
    log(`view up; ${pids.length} processes under the terminal's shell`)
    const sent = () => Number(/simulator: \w+, ([\d,]+) sent/.exec(screen())?.[1]?.replaceAll(',', '') ?? 0)
    const registrations = () =>
      [...screen().matchAll(/^ {2}\S.*?\s{2,}(\d[\d,]*)\s+(\d[\d,]*)\s+[\d.]+%$/gm)].reduce(
        (n, m) => n + Number(m[1]?.replaceAll(',', '')),
        0,
      )
    const first = { sent: sent(), registrations: registrations() }
    const live = await waitFor(() => (screen().includes('simulator: live') ? Date.now() : undefined), {
      what: 'the live part after the history',
      timeoutMs: 300_000,
      intervalMs: 1_000,
    })
    await waitFor(() => sent() > first.sent && registrations() > first.registrations, {
      what: 'the numbers growing',
      timeoutMs: 60_000,
      intervalMs: 2_000,
    })
    log(`live after ${((live - started) / 1000).toFixed(0)} s; sent ${first.sent} → ${sent()}`)

    // The DLQ fills with ingest's reason; the alert follows.
    const dlq = () => Number(/DLQ: ([\d,]+) messages/.exec(screen())?.[1]?.replaceAll(',', '') ?? 0)
    const enough = await waitFor(() => (dlq() > 2 * DLQ_THRESHOLD ? Date.now() : undefined), {
      what: 'the DLQ growing',
      timeoutMs: 120_000,
      intervalMs: 1_000,
    })
    expect(screen()).toMatch(/latest .*ingest: .*content_id/)
    const fired = await waitFor(() => (/FIRING\s+dlq_messages/.test(screen()) ? Date.now() : undefined), {
      what: 'the alert on the view',
      timeoutMs: 300_000,
      intervalMs: 1_000,
    })
    log(
      `DLQ over ${2 * DLQ_THRESHOLD} ${((enough - live) / 1000).toFixed(0)} s into the live part; alert ${((fired - enough) / 1000).toFixed(0)} s later`,
    )
    expect((fired - enough) / 1000).toBeLessThanOrEqual(FOR_S + 2 * INTERVAL_S + SLACK_S)
    mkdirSync(join(root, '.test-results'), { recursive: true })
    writeFileSync(join(root, '.test-results/npm-start-view.txt'), screen())

    tmux('send-keys', '-t', SESSION, 'C-c')
    await waitFor(
      () => (readFileSync(exitFile, { encoding: 'utf8', flag: 'a+' }).trim() !== '' ? true : undefined),
      {
        what: 'npm start to exit',
        timeoutMs: 90_000,
        intervalMs: 500,
      },
    )
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0')
    const left = pids.filter((p) => p !== shell && alive(p))
    expect(left).toEqual([])
  })
})
