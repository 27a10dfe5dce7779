import { backoffMs, withRetries } from '@opstream/runtime/backoff'
import { describeError } from '@opstream/runtime/errors'
import type { Logger } from 'pino'
import { Counter, type Registry } from 'prom-client'
import {
  type AlertMessage,
  alertmanagerBody,
  dingtalkRequest,
  feishuBody,
  robotRefusal,
  webhookBody,
  wecomBody,
} from '../core/alert-message.ts'

export type ReceiverKind = 'alertmanager' | 'webhook' | 'dingtalk' | 'wecom' | 'feishu'

export interface Receiver {
  kind: ReceiverKind
  url: string
  /** DingTalk and Feishu signing secrets. */
  secret?: string | undefined
}

export interface NotifierOptions {
  receivers: readonly Receiver[]
  log: Logger
  registry: Registry
  now?: () => number
  /** Attempts per send before it waits for the next evaluation. */
  attempts?: number
  backoffBaseMs?: number
  /** A message no receiver took for this long is given up (logged and counted). */
  giveUpAfterMs?: number
  timeoutMs?: number
}

interface Pending {
  receiver: Receiver
  alerts: AlertMessage[]
  since: number
}

/**
 * Delivers each evaluation's alerts. Alertmanager gets every firing and recently resolved alert
 * every time (it holds the state: a firing alert it stops hearing of ends at its endsAt; a
 * failed send is made good by the next). Webhooks and IM robots get the evaluation's changes
 * (firing, reminders, resolutions) as one message each; a message that fails after its retries
 * waits and is sent again with the next evaluation, until `giveUpAfterMs` — then it is logged
 * as an error and counted. Sends run one after another, in evaluation order.
 */
export function createNotifier(opts: NotifierOptions) {
  const now = opts.now ?? Date.now
  const attempts = opts.attempts ?? 4
  const attemptsTotal = new Counter({
    name: 'alerts_notification_attempts_total',
    help: 'Sends to alert receivers by receiver kind and outcome (ok, error); errors are retried with backoff. Healthy: no errors.',
    labelNames: ['receiver', 'outcome'],
    registers: [opts.registry],
  })
  const givenUp = new Counter({
    name: 'alerts_notifications_given_up_total',
    help: 'Notifications no receiver accepted within the give-up time; each is logged as an error. Healthy: zero.',
    labelNames: ['receiver'],
    registers: [opts.registry],
  })
  let waiting: Pending[] = []
  let chain: Promise<void> = Promise.resolve()

  const request = (r: Receiver, alerts: AlertMessage[]): { url: string; body: unknown } => {
    switch (r.kind) {
      case 'alertmanager':
        return { url: new URL('/api/v2/alerts', r.url).toString(), body: alertmanagerBody(alerts) }
      case 'webhook':
        return { url: r.url, body: webhookBody(alerts) }
      case 'dingtalk':
        return dingtalkRequest(r.url, r.secret ?? null, alerts, now())
      case 'wecom':
        return { url: r.url, body: wecomBody(alerts) }
      case 'feishu':
        return { url: r.url, body: feishuBody(r.secret ?? null, alerts, now()) }
    }
  }

  /** One POST; robots answer 200 with an error code in the body when they refuse. */
  const post = async (r: Receiver, alerts: AlertMessage[]): Promise<void> => {
    const { url, body } = request(r, alerts)
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`)
    if (r.kind === 'dingtalk' || r.kind === 'wecom' || r.kind === 'feishu') {
      const refusal = robotRefusal(text)
      if (refusal) throw new Error(refusal)
    }
  }

  const send = (r: Receiver, alerts: AlertMessage[]): Promise<boolean> =>
    withRetries(() => post(r, alerts), {
      retries: attempts - 1,
      backoff: (attempt) => backoffMs(attempt, opts.backoffBaseMs ?? 500, 10_000),
      onFailure: (err, attempt) => {
        attemptsTotal.inc({ receiver: r.kind, outcome: 'error' })
        opts.log.warn({ receiver: r.kind, attempt, err: describeError(err) }, 'alert delivery failed')
      },
    }).then(
      () => {
        attemptsTotal.inc({ receiver: r.kind, outcome: 'ok' })
        return true
      },
      () => false,
    )

  const run = async (active: AlertMessage[], changes: AlertMessage[]) => {
    for (const r of opts.receivers)
      if (r.kind === 'alertmanager') {
        if (active.length > 0) await send(r, active)
      } else if (changes.length > 0) waiting.push({ receiver: r, alerts: changes, since: now() })
    const still: Pending[] = []
    for (const p of waiting) {
      if (await send(p.receiver, p.alerts)) continue
      if (now() - p.since < (opts.giveUpAfterMs ?? 3_600_000)) still.push(p)
      else {
        givenUp.inc({ receiver: p.receiver.kind })
        opts.log.error(
          { receiver: p.receiver.kind, alerts: p.alerts.map((a) => `${a.rule} ${a.state}`) },
          'alert notification given up',
        )
      }
    }
    waiting = still
  }

  return {
    /**
     * Queues one evaluation's delivery: `active` (firing and recently resolved) for
     * Alertmanager, `changes` for the others. Resolves when this delivery is done.
     */
    deliver(active: AlertMessage[], changes: AlertMessage[]): Promise<void> {
      chain = chain
        .then(() => run(active, changes))
        .catch((err: unknown) => opts.log.error({ err: describeError(err) }, 'alert delivery failed'))
      return chain
    },
    /** Messages waiting for a receiver that refused them. */
    waiting: () => waiting.length,
    /** Waits for the deliveries under way. */
    flush: () => chain,
  }
}

export type Notifier = ReturnType<typeof createNotifier>
