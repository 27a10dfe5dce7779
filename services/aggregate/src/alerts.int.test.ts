import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startAlertmanager } from '@opstream/alerts/testing/alertmanager'
import { startAlerts } from '@opstream/alerts/testing/alerts-process'
import { startReceiver } from '@opstream/alerts/testing/http-receiver'
import { queryRows } from '@opstream/runtime/clickhouse-client'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { ServiceProcess } from '@opstream/runtime/testing/service-process'
import { testClickHouse, testKafka, waitFor } from '@opstream/runtime/testing/stack'
import { afterAll, describe, expect, it } from 'vitest'
import { type AggregateProcess, startAggregate } from '../test/support/aggregate-process.ts'
import { caughtUp, produceEnriched, setUpAggregate } from '../test/support/aggregate-setup.ts'
import { onboardingEvents } from '../test/support/onboarding-events.ts'

const M = 60_000
const WEEK = 7 * 86_400_000
const RULE = 'card_binding_conversion_drop'

/** The shipped card-binding rule, with test-sized timing: every 2 s, a 10-minute window, 3 weeks. */
const rules = {
  interval: '2s',
  rules: [
    {
      name: RULE,
      series: { metric: 'funnel_step', event: 'onboarding/4' },
      per: { metric: 'funnel_step', event: 'onboarding/2' },
      by: ['channel_group'],
      explainBy: ['platform'],
      window: '10m',
      condition: { type: 'anomaly', weeks: 3, score: 3.5, direction: 'drop' },
      for: '6s',
      keepFiringFor: '6s',
      minVolume: 20,
      severity: 'page',
      labels: { team: 'growth' },
      annotations: {
        summary: '{{labels.channel_group}}: registration → card {{baseline}} → {{value}}',
        explanation: '{{explanation}}',
      },
    },
  ],
}

/**
 * Every minute of [from, to) for each channel and platform: two people register, one of them
 * goes on to bind a card — a 50 % registration → card conversion everywhere.
 */
function normalMinutes(tag: string, from: number, to: number): EnrichedEvent[] {
  const out: EnrichedEvent[] = []
  for (let m = from; m < to; m += M)
    for (const channelGroup of ['Paid Social', 'Paid Search'])
      for (const platform of ['ios', 'android'] as const)
        for (const steps of [4, 2]) {
          const user = `${tag}-${m}-${channelGroup}-${platform}-${steps}`
          out.push(...onboardingEvents({ user, channelGroup, platform, at: m + steps * 5_000, steps }))
        }
  return out
}

/** Extra iOS people on Paid Social, `perMinute` a minute: their `steps` (from `from`). */
const extraIos = (minutes: number[], perMinute: number, steps: { steps: number; from?: number }) =>
  minutes.flatMap((m) =>
    Array.from({ length: perMinute }, (_, i) =>
      onboardingEvents({
        user: `x-${m}-${i}`,
        channelGroup: 'Paid Social',
        platform: 'ios',
        at: m + 30_000 + i * 3_000,
        ...steps,
      }),
    ).flat(),
  )

describe('alerts: a drop in one channel’s registration → card conversion, through a real Alertmanager', () => {
  const kafka = testKafka()
  let aggregate: AggregateProcess | undefined
  let alerts: ServiceProcess | undefined
  const stops: Array<() => Promise<unknown>> = []
  afterAll(async () => {
    await aggregate?.stop('SIGKILL')
    await alerts?.stop('SIGKILL')
    for (const stop of stops) await stop()
  })

  it('fires with the channel and the platform that explains it, survives a restart, resolves', async () => {
    const admin = await kafka.admin()
    stops.push(() => admin.disconnect())
    const receiver = await startReceiver(() => ({ status: 200 }))
    stops.push(() => receiver.close())
    const am = await startAlertmanager({ webhookUrl: `${receiver.url}/am` })
    stops.push(() => am.stop())
    const setup = await setUpAggregate(admin, 'alerts')
    const rulesFile = join(await mkdtemp(join(tmpdir(), 'opstream-alerts-')), 'rules.json')
    await writeFile(rulesFile, JSON.stringify(rules))
    const env = {
      ...setup.env,
      ALERTS_RULES: rulesFile,
      ALERTS_DELAY_MS: '0',
      ALERTMANAGER_URL: am.url,
      ALERTS_WEBHOOK_URL: `${receiver.url}/hook`,
    }
    // The aggregate writes the tables; the alerts service reads them as the read-only user.
    aggregate = await startAggregate(setup.env)
    alerts = await startAlerts(env)
    const evaluations = async () => {
      const text = await (await fetch(`${alerts?.base}/metrics`)).text()
      return Number(/^alerts_evaluations_total\{[^}]*outcome="ok"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0)
    }
    const evaluatedTwiceMore = async () => {
      const from = await evaluations()
      await waitFor(async () => (await evaluations()) >= from + 2, { what: 'two more evaluations' })
    }

    // Three weeks of history at this time of the week, and the last 40 minutes: 50 % everywhere.
    const t0 = Math.floor(Date.now() / M) * M
    const from = t0 - 40 * M
    const to = t0 + 15 * M
    const history = [3, 2, 1].flatMap((k) => normalMinutes(`w${k}`, from - k * WEEK, to - k * WEEK))
    await produceEnriched(setup.names.eventsEnriched, [...history, ...normalMinutes('now', from, to)])
    await waitFor(() => caughtUp(admin, setup.prefix, setup.names.eventsEnriched), {
      what: 'history and normal traffic written',
      timeoutMs: 90_000,
    })
    await evaluatedTwiceMore()
    expect(await am.alerts()).toEqual([])

    // The drop: from 12 minutes ago, 8 more iOS registrations a minute on Paid Social, no cards.
    // Window of 10 minutes: Paid Social 20 cards of 40 + 80 registrations = 16.7 % (3 weeks ago,
    // 2 and 1: 20 of 40, 50 %). Binomial noise for 120 registrations: √(0.25/120) = 0.0456, as
    // a MAD 0.0308, so z = 0.6745 · (0.167 − 0.5) / 0.0308 = −7.3, beyond −3.5.
    const dropMinutes = Array.from({ length: 27 }, (_, i) => t0 - 12 * M + i * M)
    const extras = extraIos(dropMinutes, 8, { steps: 2 })
    const injected = Date.now()
    await produceEnriched(setup.names.eventsEnriched, extras)
    const [alert] = await waitFor(
      async () => {
        const listed = await am.alerts()
        return listed.length > 0 && listed
      },
      { what: 'the alert in Alertmanager', timeoutMs: 60_000, intervalMs: 250 },
    )
    const firedAfterMs = Date.now() - injected
    process.stdout.write(
      `[alerts] in Alertmanager ${firedAfterMs} ms after the drop was produced (for 6 s, every 2 s)\n`,
    )
    expect(firedAfterMs).toBeLessThan(30_000)
    expect(await am.alerts()).toHaveLength(1)
    expect(alert?.labels).toEqual({
      alertname: RULE,
      severity: 'page',
      team: 'growth',
      channel_group: 'Paid Social',
    })
    // iOS: 10 cards of 20 registrations before, 10 of 100 now; Android unchanged (10 of 20).
    // Had iOS kept its numbers the rate would be 20 of 40 — iOS explains all of the change.
    const explanation = '50.0 % → 16.7 %; platform=ios explains 100 % of the change (50.0 % → 10.0 %)'
    expect(alert?.annotations).toEqual({
      summary: 'Paid Social: registration → card 50.0 % → 16.7 %',
      explanation,
    })
    expect(alert?.status.state).toBe('active')
    // Alertmanager notified its own receiver, and the webhook heard it from the evaluator.
    await waitFor(() => receiver.bodies('/am').some((b) => (b as { status: string }).status === 'firing'), {
      what: 'Alertmanager’s firing notification',
    })
    // The evaluator sends to Alertmanager and to the webhook side by side; either may land first.
    await waitFor(() => receiver.bodies('/hook').length > 0, { what: 'the webhook’s firing notification' })
    const hook = receiver.bodies('/hook') as Array<{
      alerts: Array<{ status: string; labels: Record<string, string> }>
    }>
    expect(hook.flatMap((b) => b.alerts.map((a) => `${a.status} ${a.labels.channel_group}`))).toEqual([
      'firing Paid Social',
    ])

    // A crash while firing: the state comes back from `alerts`, nothing fires twice.
    await alerts.stop('SIGKILL')
    alerts = await startAlerts(env)
    await evaluatedTwiceMore()
    expect((await am.alerts()).map((a) => a.labels.channel_group)).toEqual(['Paid Social'])

    // Recovery: half of the extra registrants bind a card — 60 of 120, 50 % again.
    const recovered = extraIos(dropMinutes, 4, { steps: 4, from: 2 })
    await produceEnriched(setup.names.eventsEnriched, recovered)
    await waitFor(async () => (await am.alerts()).length === 0, {
      what: 'the alert resolved in Alertmanager',
      timeoutMs: 60_000,
      intervalMs: 250,
    })
    await waitFor(() => receiver.bodies('/am').some((b) => (b as { status: string }).status === 'resolved'), {
      what: 'Alertmanager’s resolved notification',
    })
    const hookLines = () =>
      (receiver.bodies('/hook') as typeof hook).flatMap((b) =>
        b.alerts.map((a) => `${a.status} ${a.labels.channel_group}`),
      )
    await waitFor(() => hookLines().length > 1, { what: 'the webhook’s resolved notification' })
    expect(hookLines()).toEqual(['firing Paid Social', 'resolved Paid Social'])

    // Every state change is a row in `alerts`.
    expect(await alerts.stop('SIGTERM')).toBe(0)
    alerts = undefined
    expect(await aggregate.stop('SIGTERM')).toBe(0)
    aggregate = undefined
    const ch = await testClickHouse(setup.target.database)
    stops.push(() => ch.close())
    const rows = await queryRows<Record<string, unknown>>(
      ch.client,
      `SELECT rule, series, state, severity, round(value, 4) AS value, baseline, threshold, volume, labels, explanation,
              started_at <= at AS ordered, isNotNull(resolved_at) AS has_resolved_at
       FROM alerts ORDER BY at`,
    )
    expect(rows.map((r) => r.state)).toEqual(['pending', 'firing', 'resolved'])
    expect(
      rows.every((r) => r.rule === RULE && r.series === 'channel_group=Paid Social' && r.ordered === 1),
    ).toBe(true)
    expect(rows[1]).toMatchObject({
      severity: 'page',
      value: 0.1667,
      baseline: 0.5,
      threshold: null,
      volume: 120,
      labels: { team: 'growth', channel_group: 'Paid Social' },
      explanation,
      has_resolved_at: 0,
    })
    expect(rows[2]).toMatchObject({ value: 0.5, has_resolved_at: 1 })
  })
})
