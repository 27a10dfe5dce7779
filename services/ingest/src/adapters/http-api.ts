import { createGunzip } from 'node:zlib'
import type { TopicNames } from '@opstream/runtime/config'
import type { Encoder } from '@opstream/runtime/contract/codec'
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import type { DlqRecord } from '@opstream/runtime/contract/generated/dlq-record'
import type { Event } from '@opstream/runtime/contract/generated/event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import type { OutboundMessage } from '@opstream/runtime/kafka-types'
import type { Logger } from '@opstream/runtime/logger'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify'
import type { RequestContext } from '../core/envelope.ts'
import { fromFeedChannel, fromFeedUser } from '../core/feeds.ts'
import { fromNative } from '../core/native-event.ts'
import { fromSegment } from '../core/segment.ts'
import type { RateLimiter } from '../core/token-bucket.ts'
import { type App, hashWriteKey, writeKeyOf } from '../core/write-keys.ts'
import type { IngestMetrics } from '../metrics.ts'
import { type Publisher, type TopicMessages, UnavailableError } from './publisher.ts'
import { rejectionMessage } from './rejections.ts'

export interface ApiDeps {
  apps: ReadonlyMap<string, App>
  rateLimiter: RateLimiter
  publisher: Publisher
  encoders: {
    event: Encoder<Event>
    profile: Encoder<UserProfile>
    channel: Encoder<Channel>
    dlq: Encoder<DlqRecord>
  }
  topics: TopicNames
  metrics: IngestMetrics
  log: Logger
  maxBodyBytes: number
  maxBatchEvents: number
  now: () => Date
  newId: () => string
}

interface Rejected {
  index: number
  reason: string
}

/** What a route makes of one parsed item: Kafka messages, or a rejection. */
type Mapped =
  | { ok: true; messages: Array<{ topic: string; message: OutboundMessage }> }
  | { ok: false; reason: string }
type Mapper = (item: unknown, ctx: RequestContext, body: Record<string, unknown>) => Mapped

const SEGMENT_TYPES = ['track', 'identify', 'page', 'screen', 'alias'] as const

/**
 * The collector: the native API, the Segment HTTP Tracking API, and the user and channel feeds.
 * A 2xx means every accepted item is acknowledged by Kafka, and every rejected one is in the DLQ
 * with its raw JSON and the reason.
 */
export async function createApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    disableRequestLogging: true,
    bodyLimit: deps.maxBodyBytes,
  })
  // SDKs differ in the Content-Type they send with JSON (RudderStack's gzip requests send none,
  // beacons send text/plain): every body is read as JSON.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string))
    } catch (err) {
      ;(err as { statusCode?: number }).statusCode = 400
      done(err as Error, undefined)
    }
  })
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (req.headers['content-encoding'] !== 'gzip') return payload
    // The body limit applies to the decompressed bytes; Content-Length to the compressed ones.
    const gunzip = createGunzip() as ReturnType<typeof createGunzip> & { receivedEncodedLength: number }
    gunzip.receivedEncodedLength = 0
    payload.on('data', (chunk: Buffer) => {
      gunzip.receivedEncodedLength += chunk.length
    })
    payload.pipe(gunzip)
    return gunzip
  })
  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.requests.inc({
      route: req.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    })
  })
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: `body larger than ${deps.maxBodyBytes} bytes` })
    }
    if (err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR')
      return reply.code(400).send({ error: 'body is not valid gzip' })
    if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply.code(400).send({ error: `malformed JSON: ${err.message}` })
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
      return reply.code(err.statusCode).send({ error: err.message })
    deps.log.error({ err }, 'request failed')
    return reply.code(500).send({ error: 'internal error' })
  })

  const route = (
    path: string,
    listKey: string | undefined,
    mapper: Mapper,
    response: (accepted: number, rejected: Rejected[]) => unknown,
  ) => {
    app.post(path, (req, reply) => handle(deps, req, reply, path, listKey, mapper, response))
  }
  const native = (accepted: number, rejected: Rejected[]) => ({ accepted, rejected })
  const segment = (accepted: number, rejected: Rejected[]) => ({ success: true, accepted, rejected })

  route(
    '/v1/events',
    'events',
    (item, ctx) => {
      const r = fromNative(item, ctx)
      return r.ok ? { ok: true, messages: [eventMessage(deps, r.event)] } : r
    },
    native,
  )
  const segmentMapper =
    (type?: string): Mapper =>
    (item, ctx, body) => {
      const message = type && isObject(item) && item.type === undefined ? { ...item, type } : item
      const sentAt = typeof body.sentAt === 'string' ? new Date(body.sentAt) : undefined
      const r = fromSegment(message, ctx, sentAt && !Number.isNaN(sentAt.getTime()) ? sentAt : undefined)
      if (!r.ok) return r
      const messages = [eventMessage(deps, r.event)]
      if (r.profile)
        messages.push({
          topic: deps.topics.users,
          message: { key: r.profile.user_id, value: deps.encoders.profile.encode(r.profile) },
        })
      return { ok: true, messages }
    }
  route('/v1/batch', 'batch', segmentMapper(), segment)
  for (const type of SEGMENT_TYPES) route(`/v1/${type}`, undefined, segmentMapper(type), segment)
  route(
    '/v1/users',
    'users',
    (item) => {
      const r = fromFeedUser(item)
      if (!r.ok) return r
      const value = r.deleted ? null : deps.encoders.profile.encode(r.profile)
      return { ok: true, messages: [{ topic: deps.topics.users, message: { key: r.userId, value } }] }
    },
    native,
  )
  route(
    '/v1/channels',
    'channels',
    (item) => {
      const r = fromFeedChannel(item, deps.now())
      if (!r.ok) return r
      return {
        ok: true,
        messages: [
          {
            topic: deps.topics.channels,
            message: { key: r.channel.code, value: deps.encoders.channel.encode(r.channel) },
          },
        ],
      }
    },
    native,
  )
  await app.ready()
  return app
}

function eventMessage(deps: ApiDeps, event: Event): { topic: string; message: OutboundMessage } {
  return {
    topic: deps.topics.eventsRaw,
    message: { key: event.anonymous_id, value: deps.encoders.event.encode(event) },
  }
}

async function handle(
  deps: ApiDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  path: string,
  listKey: string | undefined,
  mapper: Mapper,
  response: (accepted: number, rejected: Rejected[]) => unknown,
): Promise<unknown> {
  const body = req.body
  if (!isObject(body)) return reply.code(400).send({ error: 'the body must be a JSON object' })
  const key = writeKeyOf(req.headers.authorization, body.writeKey)
  const app = key === undefined ? undefined : deps.apps.get(hashWriteKey(key))
  if (!app) {
    deps.metrics.events.inc({ outcome: 'rejected', reason: 'unauthorized' })
    return reply.code(401).send({ error: key === undefined ? 'missing write key' : 'unknown write key' })
  }
  const items = listKey === undefined ? [body] : body[listKey]
  if (!Array.isArray(items)) return reply.code(400).send({ error: `"${listKey}" must be an array` })
  if (items.length > deps.maxBatchEvents) {
    return reply
      .code(400)
      .send({ error: `${items.length} items in one request; at most ${deps.maxBatchEvents}` })
  }
  const limit = deps.rateLimiter.take(app.appId, Math.max(1, items.length))
  if (!limit.ok) {
    deps.metrics.events.inc({ outcome: 'rejected', reason: 'rate_limited' }, items.length)
    return reply
      .code(429)
      .header('retry-after', String(limit.retryAfterSeconds))
      .send({ error: 'rate limit exceeded' })
  }
  const ctx: RequestContext = {
    appId: app.appId,
    platform: app.platform,
    receivedAt: deps.now(),
    ip: req.ip ?? null,
    newId: deps.newId,
  }
  const byTopic = new Map<string, OutboundMessage[]>()
  const listFor = (topic: string): OutboundMessage[] => {
    let list = byTopic.get(topic)
    if (!list) {
      list = []
      byTopic.set(topic, list)
    }
    return list
  }
  const rejected: Rejected[] = []
  items.forEach((item, index) => {
    let mapped: Mapped
    try {
      mapped = mapper(item, ctx, body)
    } catch (err) {
      mapped = { ok: false, reason: err instanceof Error ? err.message : String(err) }
    }
    if (mapped.ok) {
      for (const { topic, message } of mapped.messages) listFor(topic).push(message)
    } else {
      rejected.push({ index, reason: mapped.reason })
      listFor(deps.topics.dlq).push(
        rejectionMessage(deps.encoders.dlq, item, mapped.reason, `http:${path}`, ctx),
      )
    }
  })
  const batches: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }))
  try {
    await deps.publisher.publish(batches)
  } catch (err) {
    if (!(err instanceof UnavailableError)) throw err
    deps.metrics.events.inc({ outcome: 'rejected', reason: 'unavailable' }, items.length)
    req.log.warn({ err: err.message, items: items.length }, 'answering 503: Kafka unavailable')
    return reply.code(503).header('retry-after', String(err.retryAfterSeconds)).send({ error: err.message })
  }
  const accepted = items.length - rejected.length
  deps.metrics.events.inc({ outcome: 'accepted', reason: '' }, accepted)
  if (rejected.length > 0)
    deps.metrics.events.inc({ outcome: 'rejected', reason: 'invalid' }, rejected.length)
  return reply.code(200).send(response(accepted, rejected))
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}
