import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from '@opstream/runtime/testing/stack'

/** An alert as Alertmanager's v2 API lists it. */
export interface ListedAlert {
  labels: Record<string, string>
  annotations: Record<string, string>
  startsAt: string
  endsAt: string
  status: { state: string }
}

function binary(): string {
  for (const name of ['prometheus-alertmanager', 'alertmanager']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim()
    } catch {}
  }
  throw new Error(
    'Prometheus Alertmanager is not installed: apt-get install prometheus-alertmanager (.ci/run installs it)',
  )
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * A real Prometheus Alertmanager on 127.0.0.1 with a throw-away storage directory, no cluster,
 * and one route: every alert to `webhookUrl` (resolutions too) after a 1 s group wait.
 */
export async function startAlertmanager(opts: { webhookUrl: string }) {
  const dir = await mkdtemp(join(tmpdir(), 'opstream-alertmanager-'))
  const config = `route:
  receiver: hook
  group_by: ['alertname', 'channel_group']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: '${opts.webhookUrl}'
        send_resolved: true
`
  await writeFile(join(dir, 'alertmanager.yml'), config)
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const stderr: string[] = []
  const child: ChildProcess = spawn(
    binary(),
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  child.stderr?.on('data', (c: Buffer) => stderr.push(c.toString()))
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`alertmanager exited: ${stderr.join('')}`)
      return (await fetch(`${url}/-/ready`)).ok
    },
    { what: 'Alertmanager ready', timeoutMs: 30_000, intervalMs: 200 },
  )
  return {
    url,
    /** GET /api/v2/alerts: the alerts Alertmanager holds as active (resolved ones are not listed). */
    async alerts(): Promise<ListedAlert[]> {
      return (await (await fetch(`${url}/api/v2/alerts`)).json()) as ListedAlert[]
    },
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}
