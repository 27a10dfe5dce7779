/**
 * How the simulated platform's messages leave it, as in the wild: the apps' calls through the
 * real Segment SDK (@segment/analytics-node) to ingest's Segment-compatible collector, the back
 * end's investments through opstream's producer library straight to Kafka, and the CRM's profile
 * updates and the channel catalog's daily costs through ingest's feeds. A message counts as sent
 * when its receiver acknowledged it; one refused after the SDK's retries is counted as failed.
 */
import { createEventProducer, type EventProducer } from '@opstream/ingest/producer'
import { Analytics } from '@segment/analytics-node'
import type { Outgoing } from '../core/journeys.ts'

/** The most messages one `send` takes: one SDK batch (under its 500 KB limit). */
export const MAX_CHUNK = 300

export interface SenderOptions {
  /** ingest's base URL. */
  url: string
  writeKey: string
  /** Kafka brokers for the back end's producer library; without them investments go through ingest too. */
  brokers?: string[]
  env?: Readonly<Record<string, string | undefined>>
}

export interface Senders {
  /** Sends the messages; resolves when each is acknowledged or failed, calling `done` for each. */
  send(messages: readonly Outgoing[], done: (o: Outgoing, ok: boolean, error?: string) => void): Promise<void>
  feed(path: 'channels' | 'users', items: readonly object[]): Promise<void>
  close(): Promise<void>
}

export async function createSenders(opts: SenderOptions): Promise<Senders> {
  const analytics = new Analytics({
    writeKey: opts.writeKey,
    host: opts.url,
    path: '/v1/batch',
    // A chunk of the simulation is one batch (the SDK sends batches concurrently, and two in
    // flight may land in either order; one at a time keeps each device's messages in order).
    flushAt: MAX_CHUNK,
    flushInterval: 20,
    maxRetries: 6,
    httpRequestTimeout: 20_000,
  })
  const producer: EventProducer | undefined = opts.brokers
    ? await createEventProducer({
        appId: 'trade-service',
        platform: 'server',
        brokers: opts.brokers,
        ...(opts.env ? { env: opts.env } : {}),
      })
    : undefined
  const auth = `Basic ${Buffer.from(`${opts.writeKey}:`).toString('base64')}`
  const post = async (path: string, body: object) => {
    const res = await fetch(`${opts.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify(body),
    }).catch((err: Error & { cause?: { code?: string } }) => {
      throw new Error(
        `cannot reach ingest at ${opts.url}${path} (${err.cause?.code ?? err.message}): is it running there? (--url)`,
      )
    })
    const answer = (await res.json().catch(() => ({}))) as {
      rejected?: Array<{ reason: string }>
      error?: string
    }
    if (!res.ok) throw new Error(`${opts.url}${path} answered ${res.status}: ${answer.error ?? ''}`)
    if (answer.rejected?.length)
      throw new Error(`${path}: ${answer.rejected.map((r) => r.reason).join('; ')}`)
  }

  const app = (o: Extract<Outgoing, { via: 'app' }>) =>
    new Promise<{ ok: boolean; error?: string }>((resolve) => {
      const { type, ...call } = o.call
      const callback = (err: unknown) =>
        resolve(err ? { ok: false, error: err instanceof Error ? err.message : String(err) } : { ok: true })
      const params = { ...call, timestamp: new Date(o.at) }
      if (type === 'track') analytics.track(params as Parameters<Analytics['track']>[0], callback)
      else if (type === 'page') analytics.page(params as Parameters<Analytics['page']>[0], callback)
      else analytics.identify(params as Parameters<Analytics['identify']>[0], callback)
    })

  return {
    async send(messages, done) {
      const backend = messages.filter((m): m is Extract<Outgoing, { via: 'backend' }> => m.via === 'backend')
      const profiles = messages.filter((m): m is Extract<Outgoing, { via: 'profile' }> => m.via === 'profile')
      const apps = messages.filter((m): m is Extract<Outgoing, { via: 'app' }> => m.via === 'app')
      // The apps' messages first: a back-end investment follows the sign-up it belongs to.
      await Promise.all(
        apps.map(async (o) => {
          const r = await app(o)
          done(o, r.ok, r.error)
        }),
      )
      if (backend.length > 0) {
        if (producer) {
          const r = await producer.publishBatch(backend.map((b) => b.event))
          const rejected = new Map(r.rejected.map((x) => [x.index, x.reason]))
          for (const [i, b] of backend.entries()) done(b, !rejected.has(i), rejected.get(i))
        } else {
          await settle(post('/v1/events', { events: backend.map((b) => b.event) }), backend, done)
        }
      }
      if (profiles.length > 0)
        await settle(post('/v1/users', { users: profiles.map((p) => p.user) }), profiles, done)
    },
    feed: (path, items) => post(`/v1/${path}`, { [path]: items }),
    async close() {
      await analytics.closeAndFlush({ timeout: 30_000 })
      await producer?.close()
    },
  }
}

/** Each message of one request done: all acknowledged, or all failed with the request's error. */
async function settle(
  request: Promise<void>,
  messages: readonly Outgoing[],
  done: (o: Outgoing, ok: boolean, error?: string) => void,
): Promise<void> {
  const error = await request.then(
    () => undefined,
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  )
  for (const m of messages) done(m, error === undefined, error)
}
