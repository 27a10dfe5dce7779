/**
 * The console in Debian's Chromium (playwright-core): a stream of enriched events through the
 * real aggregate into ClickHouse, the real console process reading it as the read-only user, and
 * a browser that signs in and reads the pages. Overview's figures must equal ClickHouse's own
 * functions over the raw `events`; the Channels table what the events and the catalog's costs
 * imply in plain code. A screenshot of each page goes to .test-results/.
 */
import { spawnSync } from 'node:child_process'
import { createHash, createHmac } from 'node:crypto'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type AggregateProcess, startAggregate } from '@opstream/aggregate/testing/aggregate-process'
import { caughtUp, produceEnriched, setUpAggregate } from '@opstream/aggregate/testing/aggregate-setup'
import { channelCosts, economicsOf } from '@opstream/aggregate/testing/economics-truth'
import { enrichedStream } from '@opstream/aggregate/testing/enriched-stream'
import { REFRESH_FUNNEL_ROLLUPS } from '@opstream/aggregate/testing/funnel-sql'
import { money, units } from '@opstream/aggregate/testing/money-units'
import { queryRows } from '@opstream/runtime/clickhouse-client'
import { createEncoder } from '@opstream/runtime/contract/codec'
import { builtInCatalog, SUBJECTS } from '@opstream/runtime/contract/contract'
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import { fileRegistry } from '@opstream/runtime/contract/registry'
import type { AdminHandle } from '@opstream/runtime/kafka-types'
import { type ServiceProcess, startService } from '@opstream/runtime/testing/service-process'
import {
  committedToEnd,
  testClickHouse,
  testKafka,
  testLogger,
  waitFor,
} from '@opstream/runtime/testing/stack'
import { type Browser, chromium } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chartDrawn, chartSeries, kpi, loaded, pipelineApi, tableRows } from '../test/support/console-page.ts'
import { robotReceivers, smtpReceiver } from '../test/support/report-receivers.ts'
import { hashPassword } from './core/password.ts'
import { gatherReport } from './report/report-data.ts'
import type { ReportReceiver } from './report/report-delivery.ts'
import { runReport } from './report/report-job.ts'

const PASSWORD = 'correct horse battery'
const DAY = '2026-11-09'
const FROM = '2026-11-03'
const TO = '2026-11-10'
const SHOTS = fileURLToPath(new URL('../../../.test-results/', import.meta.url))
/** Bytes that are no Avro event (no magic byte): each goes to the DLQ. */
const BAD = ['{"event":"register"}', 'not avro at all', 'plain text']
const COUNTS = ['new_users', 'dau', 'registrations', 'card_bindings', 'first_investments'] as const

/** Overview's figures for one day and filter, by ClickHouse's own functions over the raw events. */
async function overviewTruth(c: Parameters<typeof queryRows>[0], day: string, group: string) {
  const [row] = await queryRows<Record<(typeof COUNTS)[number], number> & { gmv: string }>(
    c,
    `SELECT toUInt32(uniqExact(person_key)) AS dau,
       toUInt32(uniqExactIf(user_id, event = 'register' AND user_id != '')) AS new_users,
       toUInt32(countIf(event = 'register' AND acquisition_group != '')) AS registrations,
       toUInt32(countIf(event = 'bind_card' AND acquisition_group != '')) AS card_bindings,
       toUInt32(countIf(nth_purchase = 1 AND acquisition_group != '')) AS first_investments,
       toDecimalString(ifNull(sumIf(amount, nth_purchase >= 1), 0), 4) AS gmv
     FROM events WHERE toDate(occurred_at) = {day:Date} AND ({group:String} = '' OR acquisition_group = {group:String})`,
    { day, group },
  )
  return row as NonNullable<typeof row>
}

describe('the operations console in Chromium', () => {
  const kafka = testKafka()
  const stops: Array<() => Promise<unknown>> = []
  let aggregate: AggregateProcess | undefined
  let console_: ServiceProcess | undefined
  let browser: Browser | undefined
  afterAll(async () => {
    await browser?.close()
    await console_?.stop()
    await aggregate?.stop('SIGKILL')
    for (const stop of stops.reverse()) await stop()
  })

  // One stream through the real aggregate, one console process and one browser for both tests.
  let setup: Awaited<ReturnType<typeof setUpAggregate>>
  let stream: ReturnType<typeof enrichedStream>
  const catalog = channelCosts()
  let ch: Awaited<ReturnType<typeof testClickHouse>>
  let admin: AdminHandle
  beforeAll(async () => {
    admin = await kafka.admin()
    stops.push(() => admin.disconnect())
    setup = await setUpAggregate(admin, 'console')
    stream = enrichedStream({ events: 30_000, persons: 4_000, seed: 31, days: 10, money: true })
    const channels = await createEncoder<Channel>(fileRegistry(builtInCatalog()), SUBJECTS.channel)
    const producer = await kafka.producer()
    await producer.send(
      setup.names.channels,
      catalog.map((c) => ({ key: c.code, value: channels.encode(c) })),
    )
    await producer.disconnect()
    // Health sampled every 2 s: the Pipeline page's rates and DLQ total are soon up to date.
    aggregate = await startAggregate({ ...setup.env, AGGREGATE_HEALTH_SAMPLE_MS: '2000' })
    await produceEnriched(setup.names.eventsEnriched, stream)
    // And messages that are no enriched events: the aggregate turns them away to the DLQ.
    const bad = await kafka.producer()
    await bad.send(
      setup.names.eventsEnriched,
      BAD.map((text, i) => ({ key: `bad-${i}`, value: Buffer.from(text) })),
    )
    await bad.disconnect()
    await waitFor(
      async () =>
        (await caughtUp(admin, setup.prefix, setup.names.eventsEnriched)) &&
        (await committedToEnd(admin, setup.group, setup.names.channels)) &&
        (await committedToEnd(admin, setup.group, setup.names.dlq)),
      { what: 'the stream and the catalog written', timeoutMs: 180_000 },
    )
    ch = await testClickHouse(setup.target.database)
    stops.push(() => ch.close())
    // The health samples have seen the last commits and the bad messages on the DLQ.
    const end = (await admin.fetchTopicOffsets(setup.names.eventsEnriched)).reduce(
      (n, e) => n + Number(e.high),
      0,
    )
    await waitFor(
      async () => {
        const latest = await queryRows<{ metric: string; value: number }>(
          ch.client,
          `SELECT metric, argMax(value, minute) AS value FROM pipeline_health FINAL
           WHERE metric = 'dlq_total' OR (metric = 'consumed_total' AND group_name = {g:String}) GROUP BY metric`,
          { g: setup.group },
        )
        const of = (m: string) => latest.find((l) => l.metric === m)?.value
        return of('dlq_total') === BAD.length && of('consumed_total') === end
      },
      { what: 'pipeline health sampled after the last commit', timeoutMs: 60_000 },
    )
    // The funnel rollups refresh on a schedule: now, for the pages to read.
    for (const query of REFRESH_FUNNEL_ROLLUPS) await ch.client.command({ query })
    console_ = await startService({
      name: 'console',
      main: fileURLToPath(new URL('./main.ts', import.meta.url)),
      portVar: 'CONSOLE_HTTP_PORT',
      env: { ...setup.env, CONSOLE_PASSWORD_HASH: await hashPassword(PASSWORD), CONSOLE_REFRESH_S: '3600' },
    })
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
  }, 300_000)

  it('signs in, shows every page with the numbers of the raw events, filters and switches language', {
    timeout: 300_000,
  }, async () => {
    if (!console_ || !browser) throw new Error('set-up failed')
    const base = console_.base
    // Nothing without signing in: no numbers, no page.
    expect((await fetch(`${base}/api/overview?day=${DAY}`)).status).toBe(401)
    expect((await fetch(`${base}/`, { redirect: 'manual' })).headers.get('location')).toBe('/login')
    // The browser never sees ClickHouse: no credentials in anything served.
    const served = await Promise.all(
      ['/login', '/static/console.js', '/static/i18n.js'].map(async (p) =>
        (await fetch(`${base}${p}`)).text(),
      ),
    )
    for (const text of served) {
      expect(text).not.toContain(setup.env.CLICKHOUSE_READER_PASSWORD)
      expect(text).not.toContain(setup.env.CLICKHOUSE_URL)
    }

    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (m) => {
      // A wrong password is answered 401 on purpose; Chromium logs the failed request.
      if (m.type() === 'error' && !m.text().includes('401')) errors.push(m.text())
    })
    page.on('pageerror', (e) => errors.push(e.message))

    await page.goto(`${base}/`)
    expect(new URL(page.url()).pathname).toBe('/login')
    await page.fill('input[name=password]', 'wrong password')
    await page.click('button[type=submit]')
    await expect.poll(() => page.locator('#error').textContent()).toBe('密码错误')
    await page.fill('input[name=password]', PASSWORD)
    await loaded(page, () => page.click('button[type=submit]'))
    expect(await page.locator('nav a[data-page=overview]').textContent()).toBe('概览')

    // Overview: the day, the day before and the week before.
    await loaded(page, () =>
      page.fill('input[name=day]', DAY).then(() => page.dispatchEvent('#filters', 'change')),
    )
    const all = await overviewTruth(ch.client, DAY, '')
    expect(all.registrations).toBeGreaterThan(20)
    for (const key of COUNTS) expect([key, await kpi(page, key)]).toEqual([key, all[key]])
    expect(await kpi(page, 'gmv')).toBeCloseTo(Number(all.gmv), 2)
    const conversion = Math.floor((all.first_investments * 10_000) / all.registrations) / 100
    expect(await page.locator('.kpi[data-kpi=conversion] .value').textContent()).toBe(
      `${conversion.toFixed(2)}%`,
    )
    const before = await overviewTruth(ch.client, '2026-11-08', '')
    const delta = (((all.registrations - before.registrations) / before.registrations) * 100).toFixed(1)
    expect(await page.locator('.kpi[data-kpi=registrations] .delta').textContent()).toContain(
      `${Number(delta) >= 0 ? '+' : ''}${delta}%`,
    )
    // The last hour of the day, minute by minute, as the API gives it to the chart.
    const minutes = await page.evaluate(
      async (day) =>
        ((await (await fetch(`/api/overview?day=${day}`)).json()) as { perMinute: Array<{ events: number }> })
          .perMinute,
      DAY,
    )
    const [hour] = await queryRows<{ n: number }>(
      ch.client,
      `SELECT toUInt32(count()) AS n FROM events
       WHERE occurred_at >= toDateTime({day:Date}) + INTERVAL 23 HOUR AND occurred_at < toDateTime({day:Date}) + INTERVAL 1 DAY`,
      { day: DAY },
    )
    expect(minutes).toHaveLength(60)
    expect(minutes.reduce((n, m) => n + m.events, 0)).toBe(hour?.n)
    expect(await chartSeries(page, 'chart-compare')).toBe(3)
    expect(await chartSeries(page, 'chart-minutes')).toBe(1)
    mkdirSync(SHOTS, { recursive: true })
    await page.screenshot({ path: `${SHOTS}console-overview.png`, fullPage: true })

    // A filter changes the numbers, to the filtered truth.
    await loaded(page, () => page.selectOption('select[name=group]', 'Paid Social'))
    const social = await overviewTruth(ch.client, DAY, 'Paid Social')
    expect(social.registrations).toBeLessThan(all.registrations)
    for (const key of COUNTS) expect([key, await kpi(page, key)]).toEqual([key, social[key]])
    await loaded(page, () => page.selectOption('select[name=group]', ''))

    // English, and back.
    await loaded(page, () => page.click('#lang'))
    expect(await page.locator('nav a[data-page=overview]').textContent()).toBe('Overview')
    expect(await page.locator('.kpi[data-kpi=registrations] .label').textContent()).toBe('Registrations')

    // Channels: the economics table over a range.
    await loaded(page, () => page.click('nav a[data-page=channels]'))
    // Both ends at once, then one change: one load, of this range.
    await loaded(page, () =>
      page.evaluate(
        ([from, to]) => {
          const form = document.getElementById('filters') as HTMLFormElement
          ;(form.elements.namedItem('from') as HTMLInputElement).value = from as string
          ;(form.elements.namedItem('to') as HTMLInputElement).value = to as string
          form.dispatchEvent(new Event('change'))
        },
        [FROM, TO],
      ),
    )
    const truth = channelTruth(economicsOf(stream, catalog), FROM, TO)
    const shown = await page.locator('#economics tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        ...Object.fromEntries(
          [...r.querySelectorAll('td')].map((td) => [
            td.dataset.column,
            td.textContent?.replace(/[,×]/g, '') ?? '',
          ]),
        ),
        // The code as it is ('' for the direct channel, which the table shows as –).
        cost_code: (r as HTMLElement).dataset.code ?? '',
      })),
    )
    expect(shown.map((r) => r.cost_code).sort()).toEqual([...truth.keys()].sort())
    for (const r of shown) {
      const t = truth.get(r.cost_code as string)
      expect({
        code: r.cost_code,
        registrations: Number(r.registrations),
        first: Number(r.first_investments),
      }).toEqual({
        code: r.cost_code,
        registrations: t?.registrations,
        first: t?.first,
      })
      expect(Number(r.cost)).toBeCloseTo(Number(t?.cost), 2)
      expect(Number(r.invested_amount)).toBeCloseTo(Number(t?.invested), 2)
    }
    // LTV and LTV ÷ CAC of each code's registration cohorts, from the events as sent.
    const cohorts = cohortTruth(stream, FROM, TO)
    expect([...cohorts.values()].filter((c) => c.amount30 > 0n).length).toBeGreaterThan(1)
    for (const r of shown) {
      const c = cohorts.get(r.cost_code as string)
      const cost = units(truth.get(r.cost_code as string)?.cost ?? '0.0000')
      const ltv = c && c.users.size > 0 ? money(c.amount30 / BigInt(c.users.size)) : null
      const toCac = c && c.users.size > 0 && cost > 0n ? money((c.amount30 * 10_000n) / cost) : null
      expect([r.cost_code, r.ltv30 === '–' ? null : Number(r.ltv30)]).toEqual([
        r.cost_code,
        ltv === null ? null : expect.closeTo(Number(ltv), 1),
      ])
      expect([r.cost_code, r.ltv_to_cac30 === '–' ? null : Number(r.ltv_to_cac30)]).toEqual([
        r.cost_code,
        toCac === null ? null : expect.closeTo(Number(toCac), 1),
      ])
    }
    expect(await chartSeries(page, 'chart-trend')).toBeGreaterThan(1)
    expect(await chartSeries(page, 'chart-ltv')).toBe(1)
    await page.screenshot({ path: `${SHOTS}console-channels.png`, fullPage: true })
    await loaded(page, () => page.click('#lang'))
    await page.screenshot({ path: `${SHOTS}console-channels-zh.png`, fullPage: true })

    // Funnels, Retention, Lifecycle, Pipeline: each loads over the same stream and draws its charts.
    for (const [name, charts] of [
      ['funnels', ['chart-steps', 'chart-times', 'chart-funnel-trend']],
      ['retention', ['chart-heatmap']],
      ['lifecycle', ['chart-triggers']],
      ['pipeline', ['chart-rates', 'chart-lag', 'chart-dlq', 'chart-written', 'chart-delay']],
    ] as const) {
      await loaded(page, () => page.click(`nav a[data-page=${name}]`))
      expect([name, await page.locator('#status').getAttribute('class')]).toEqual([name, 'muted'])
      for (const id of charts) expect([id, await chartDrawn(page, id)]).toEqual([id, true])
      await page.screenshot({ path: `${SHOTS}console-${name}.png`, fullPage: true })
    }
    // Pipeline: the intake and the three consumer groups the aggregate samples; the bad messages
    // on the DLQ with the aggregate's reason and their place on the enriched topic.
    expect(await page.locator('#rates-now .kpi').count()).toBe(4)
    expect(await page.locator('#lag-now .kpi').count()).toBe(3)
    expect(await page.locator('#dlq-total').textContent()).toBe(String(BAD.length))
    const reasons = await tableRows(page, '#dlq-reasons')
    expect(reasons).toHaveLength(1)
    expect(reasons[0]).toMatchObject({ service: 'aggregate', records: String(BAD.length) })
    const letters = await tableRows(page, '#dlq-latest')
    const enrichedEnds = await admin.fetchTopicOffsets(setup.names.eventsEnriched)
    expect(letters.map((l) => l.source?.replace(/ \[\d+\] @\d+$/, ''))).toEqual(
      BAD.map(() => setup.names.eventsEnriched),
    )
    // Each at an offset below its partition's end.
    for (const l of letters) {
      const [, partition, offset] = /\[(\d+)\] @(\d+)$/.exec(l.source ?? '') ?? []
      expect(Number(offset)).toBeLessThan(
        Number(enrichedEnds.find((e) => e.partition === Number(partition))?.high),
      )
    }
    // The aggregate's rate, minute by minute, times the seconds each minute covers (60 for the
    // first), adds up to what its group committed: the enriched topic's end offsets.
    const series = (await pipelineApi(page)).rates
      .filter((p) => p.series === setup.group)
      .sort((a, b) => (a.minute < b.minute ? -1 : 1))
    const seconds = (a: string, b: string) => (Date.parse(`${b}Z`) - Date.parse(`${a}Z`)) / 1000
    const added = series.reduce((n, p, i) => {
      const before = series[i - 1]
      return (
        n + p.value * (before ? seconds(before.minute.replace(' ', 'T'), p.minute.replace(' ', 'T')) : 60)
      )
    }, 0)
    expect(Math.round(added)).toBe(enrichedEnds.reduce((n, e) => n + Number(e.high), 0))
    await loaded(page, () => page.click('nav a[data-page=funnels]'))
    const steps = await page.locator('#funnel-steps tbody tr').count()
    expect(steps).toBeGreaterThan(1)
    await loaded(page, () => page.click('nav a[data-page=retention]'))
    expect(await chartSeries(page, 'chart-heatmap')).toBe(1)

    // Alerts: two state changes of one series and one of another, as the alerts service writes them.
    await ch.client.command({
      query: `INSERT INTO alerts (at, rule, series, state, severity, value, baseline, volume, started_at, resolved_at, explanation) VALUES
        ('2026-11-09 10:00:00', 'registration_drop', 'channel_group=Paid Social', 'firing', 'critical', 12, 40, 52, '2026-11-09 10:00:00', NULL, 'Paid Social registrations fell 70 %: toutiao explains 9 of the 10 missing'),
        ('2026-11-09 11:00:00', 'registration_drop', 'channel_group=Paid Social', 'resolved', 'critical', 38, 40, 78, '2026-11-09 10:00:00', '2026-11-09 11:00:00', 'back within the baseline'),
        ('2026-11-09 12:00:00', 'dlq_rate', 'topic=events.raw', 'firing', 'warning', 5, 0, 5, '2026-11-09 12:00:00', NULL, '5 messages a minute to the DLQ')`,
    })
    await loaded(page, () => page.click('nav a[data-page=alerts]'))
    const now = await page
      .locator('#alerts-now tbody tr')
      .evaluateAll((rows) =>
        rows.map(
          (r) =>
            `${(r as HTMLElement).dataset.state} ${r.querySelector('td[data-column=rule]')?.textContent}`,
        ),
      )
    expect(now.sort()).toEqual(['firing dlq_rate', 'resolved registration_drop'])
    expect(await page.locator('#alerts-history tbody tr').count()).toBe(3)
    expect(await page.locator('#alerts-history').textContent()).toContain(
      'toutiao explains 9 of the 10 missing',
    )
    await page.screenshot({ path: `${SHOTS}console-alerts.png`, fullPage: true })

    // Signed out, the numbers are closed again.
    await page.click('#logout')
    await page.waitForURL(/\/login$/)
    expect(await page.evaluate(async () => (await fetch('/api/filters')).status)).toBe(401)
    expect(errors).toEqual([])
  })

  it('renders the daily report with the numbers of the raw events: HTML that opens offline, a PNG, Markdown', {
    timeout: 120_000,
  }, async () => {
    if (!browser) throw new Error('set-up failed')
    const reader = await testClickHouse(setup.target.database, 'reader')
    stops.push(() => reader.close())
    const data = await gatherReport(reader.client, 'day', DAY)
    // The key figures: the day, the day before, the same day a week earlier.
    for (const [when, day] of [
      ['now', DAY],
      ['previous', '2026-11-08'],
      ['weekEarlier', '2026-11-02'],
    ] as const) {
      const truth = await overviewTruth(ch.client, day, '')
      for (const key of COUNTS)
        expect([when, key, data.kpis.find((k) => k.key === key)?.[when]]).toEqual([when, key, truth[key]])
      expect(Number(data.kpis.find((k) => k.key === 'gmv')?.[when])).toBeCloseTo(Number(truth.gmv), 4)
    }
    // The channel economics of the day, and the biggest mover's numbers, against plain code and raw events.
    const economics = channelTruth(economicsOf(stream, catalog), DAY, DAY)
    for (const c of data.channels)
      expect([c.cost_code, c.registrations]).toEqual([c.cost_code, economics.get(c.cost_code)?.registrations])
    const [top] = data.movers
    expect(top).toBeDefined()
    const registrations = async (group: string, source?: string) =>
      (
        await queryRows<{ before: number; now: number }>(
          ch.client,
          `SELECT toUInt32(countIf(toDate(occurred_at) = {before:Date})) AS before, toUInt32(countIf(toDate(occurred_at) = {day:Date})) AS now
           FROM events WHERE event = 'register' AND acquisition_group = {group:String}
             AND ({source:String} = '*' OR acquisition_source = {source:String})`,
          { day: DAY, before: '2026-11-08', group, source: source ?? '*' },
        )
      )[0]
    expect({ before: top?.before, now: top?.now }).toEqual(await registrations(top?.group ?? ''))
    // Each source that explains it is a named one, with its own raw numbers.
    for (const e of top?.explained ?? []) {
      expect(e.element).not.toBe('')
      expect({ before: e.before, now: e.now }).toEqual(await registrations(top?.group ?? '', e.element))
    }

    const out = mkdtempSync(join(tmpdir(), 'opstream-report-'))
    const started = Date.now()
    const cli = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./report-cli.ts', import.meta.url)),
        '--period',
        'day',
        '--date',
        DAY,
        '--out',
        out,
      ],
      {
        env: { ...process.env, ...setup.env, LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      },
    )
    expect([cli.status, cli.stderr]).toEqual([0, ''])
    const [html, png, md] = cli.stdout.trim().split('\n') as [string, string, string]
    process.stdout.write(
      `[console] daily report rendered by the CLI in ${Date.now() - started} ms (process start included)\n`,
    )
    expect(readFileSync(md, 'utf8')).toContain(`**${data.kpis.find((k) => k.key === 'registrations')?.now}**`)

    // The HTML is self-contained: it opens with the network off and asks for nothing.
    const context = await browser.newContext({ offline: true })
    const page = await context.newPage()
    const requests: string[] = []
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url())
    })
    await page.goto(pathToFileURL(html).toString())
    expect(await page.title()).toContain(DAY)
    expect(await page.locator('svg').count()).toBe(2)
    expect(requests).toEqual([])
    await page.screenshot({ path: `${SHOTS}report-day.png`, fullPage: true })
    await context.close()

    // The PNG decodes, is the report's width, and is not blank.
    const image = PNG.sync.read(readFileSync(png))
    expect(image.width).toBe(1200)
    expect(image.height).toBeGreaterThan(500)
    const colours = new Set<number>()
    for (let i = 0; i < image.data.length; i += 4 * 97) colours.add(image.data.readUInt32BE(i))
    expect(colours.size).toBeGreaterThan(20)
    copyFileSync(png, `${SHOTS}report-day-image.png`)
  })

  it('delivers the weekly report to each robot in its format and signature, to a webhook and by e-mail; a failing receiver is retried, then failed', {
    timeout: 120_000,
  }, async () => {
    const reader = await testClickHouse(setup.target.database, 'reader')
    stops.push(() => reader.close())
    const now = Date.now()
    const hooks = await robotReceivers()
    stops.push(() => hooks.close())
    const mail = await smtpReceiver()
    stops.push(() => mail.close())
    const receivers: ReportReceiver[] = [
      { kind: 'webhook', url: `${hooks.base}/webhook` },
      { kind: 'dingtalk', url: `${hooks.base}/dingtalk?access_token=t`, secret: 'SECdingtalk' },
      { kind: 'wecom', url: `${hooks.base}/wecom?key=k` },
      { kind: 'feishu', url: `${hooks.base}/feishu`, secret: 'feishu-secret' },
      {
        kind: 'email',
        smtpUrl: `smtp://ops:pw@127.0.0.1:${mail.port}`,
        from: 'opstream@example.cn',
        to: ['ops@example.cn'],
      },
      { kind: 'webhook', url: `${hooks.base}/broken` },
    ]
    const logged: string[] = []
    const log = testLogger()
    const spy = Object.assign(Object.create(log), {
      error: (o: unknown, msg: string) => logged.push(`${msg} ${JSON.stringify(o)}`),
      warn: () => {},
      info: () => {},
    })
    const run = await runReport(reader.client, {
      period: 'week',
      date: DAY,
      lang: 'zh',
      dir: mkdtempSync(join(tmpdir(), 'opstream-report-')),
      receivers,
      log: spy,
      backoffBaseMs: 10,
    })
    expect(run.results.map((r) => [r.receiver, r.ok, r.attempts])).toEqual([
      ['webhook', true, 1],
      ['dingtalk', true, 1],
      ['wecom', true, 1],
      ['feishu', true, 1],
      ['email', true, 1],
      ['webhook', false, 4],
    ])
    expect(hooks.calls('/broken')).toHaveLength(4)
    expect(logged.some((l) => l.startsWith('report not delivered') && l.includes('HTTP 500'))).toBe(true)
    const title = '运营周报 · 2026-11-09 – 2026-11-15'
    const png = readFileSync(run.files.png)
    // Webhook: the report whole.
    const [hook] = hooks.calls('/webhook')
    expect(hook?.body).toMatchObject({
      kind: 'report',
      title,
      period: 'week',
      from: '2026-11-09',
      to: '2026-11-15',
    })
    const sentPng = (hook?.body as { png_base64?: string } | undefined)?.png_base64 ?? ''
    expect(Buffer.from(sentPng, 'base64').equals(png)).toBe(true)
    // DingTalk: Markdown, signed as its robots check it: HMAC-SHA256(secret, timestamp + "\n" + secret).
    const [ding] = hooks.calls('/dingtalk')
    const ts = ding?.url.searchParams.get('timestamp') ?? ''
    expect(Number(ts)).toBeGreaterThanOrEqual(now)
    expect(ding?.url.searchParams.get('sign')).toBe(
      createHmac('sha256', 'SECdingtalk').update(`${ts}\nSECdingtalk`).digest('base64'),
    )
    expect(ding?.body).toMatchObject({ msgtype: 'markdown', markdown: { title } })
    // WeCom: the PNG (base64 and its MD5), then the Markdown.
    const wecom = hooks
      .calls('/wecom')
      .map((c) => c.body as { msgtype: string; image?: { base64: string; md5: string } })
    expect(wecom.map((b) => b.msgtype)).toEqual(['image', 'markdown'])
    expect(wecom[0]?.image?.md5).toBe(createHash('md5').update(png).digest('hex'))
    // Feishu: signed with HMAC-SHA256(key = timestamp + "\n" + secret) of nothing.
    const feishu = hooks.calls('/feishu')[0]?.body as {
      timestamp: string
      sign: string
      content: { text: string }
    }
    expect(feishu.sign).toBe(
      createHmac('sha256', `${feishu.timestamp}\nfeishu-secret`).update('').digest('base64'),
    )
    expect(feishu.content.text).toContain(title)
    // E-mail: to the address, with the HTML and the PNG inline.
    const [message] = mail.messages
    expect(message?.subject).toBe(title)
    expect(JSON.stringify(message?.to)).toContain('ops@example.cn')
    expect(message?.html).toContain('cid:report.png')
    expect(message?.attachments.find((a) => a.cid === 'report.png')?.content.equals(png)).toBe(true)
  })
})

/**
 * Each cost code's registration cohorts of [from, to], in plain code over the events as sent:
 * the users active on or after their registration day, and their purchases within 30 days.
 */
function cohortTruth(events: ReturnType<typeof enrichedStream>, from: string, to: string) {
  const by = new Map<string, { users: Set<string>; amount30: bigint }>()
  for (const e of events) {
    const acq = e.acquisition
    const user = e.identity.user_id
    if (!acq?.registered_at || !user || !acq.channel.group) continue
    const cohort = acq.registered_at.toISOString().slice(0, 10)
    const day = e.event.occurred_at.toISOString().slice(0, 10)
    if (cohort < from || cohort > to || day < cohort) continue
    const code = acq.channel.campaign ?? acq.channel.source ?? ''
    const c = by.get(code) ?? { users: new Set<string>(), amount30: 0n }
    c.users.add(user)
    const dayN = (Date.parse(day) - Date.parse(cohort)) / 86_400_000
    if (e.counters.nth_purchase !== null && e.event.purchase && dayN < 30)
      c.amount30 += units(e.event.purchase.amount)
    by.set(code, c)
  }
  return by
}

/** Each cost code's sums over [from, to] of the plain-code economics. */
function channelTruth(rows: ReturnType<typeof economicsOf>, from: string, to: string) {
  const by = new Map<string, { registrations: number; first: number; cost: string; invested: string }>()
  const sums = new Map<string, { cost: bigint; invested: bigint }>()
  for (const r of rows) {
    if (r.day < from || r.day > to) continue
    const t = by.get(r.cost_code) ?? { registrations: 0, first: 0, cost: '0', invested: '0' }
    const s = sums.get(r.cost_code) ?? { cost: 0n, invested: 0n }
    t.registrations += r.registrations
    t.first += r.first_investments
    s.cost += units(r.cost || '0.0000')
    s.invested += units(r.invested_amount || '0.0000')
    t.cost = money(s.cost)
    t.invested = money(s.invested)
    by.set(r.cost_code, t)
    sums.set(r.cost_code, s)
  }
  return by
}
