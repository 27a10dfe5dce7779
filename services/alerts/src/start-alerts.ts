import type { ClickHouseClient } from '@opstream/runtime/clickhouse-client'
import type { ServiceKit } from '@opstream/runtime/service-kit'
import { createAlertEvaluator } from './adapters/alert-evaluator.ts'
import { createNotifier } from './adapters/notifier.ts'
import { loadAlertRules } from './adapters/rules-file.ts'
import { type AlertsConfig, receiversOf } from './config.ts'

/**
 * The alerts evaluator of the alerts service: rules from the rules file,
 * receivers from the configuration, `GET /alerts` on the service's HTTP port listing the
 * series pending, firing or recently resolved (alerts link there unless ALERTS_GENERATOR_URL
 * says otherwise). The returned `start` restores the state and begins evaluating; stopping is
 * registered with the kit's shutdown (call this before adding the ClickHouse client's close).
 */
export function prepareAlerts(deps: {
  kit: ServiceKit
  reader: ClickHouseClient
  writer: ClickHouseClient
  config: AlertsConfig & { HTTP_HOST: string }
}) {
  const { kit, config } = deps
  const rules = loadAlertRules(config.ALERTS_RULES)
  const log = kit.log.child({ component: 'alerts' })
  const receivers = receiversOf(config)
  const evaluator = createAlertEvaluator({
    reader: deps.reader,
    writer: deps.writer,
    rules,
    notifier: createNotifier({ receivers, log, registry: kit.registry }),
    log,
    registry: kit.registry,
    delayMs: config.ALERTS_DELAY_MS,
    generatorURL: config.ALERTS_GENERATOR_URL ?? `http://${config.HTTP_HOST}:${kit.http.port}/alerts`,
    onFatal: () => void kit.shutdown.run('alert evaluation keeps failing', { failure: true }),
  })
  kit.mount((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/alerts') return false
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ alerts: evaluator.snapshot() }, null, 2))
    return true
  })
  kit.shutdown.add({ name: 'alerts', run: () => evaluator.stop() })
  return {
    start: async () => {
      await evaluator.start()
      log.info({ receivers: receivers.map((r) => r.kind) }, 'alerts running')
    },
  }
}
