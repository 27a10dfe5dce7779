import type { Dashboard } from '@grafana/schema'
import { alerts } from './alerts.ts'
import { channels } from './channels.ts'
import { funnels } from './funnels.ts'
import { lifecycle } from './lifecycle.ts'
import { overview } from './overview.ts'
import { pipeline } from './pipeline.ts'
import { retention } from './retention.ts'

/** The provisioned dashboards, by file name under infra/grafana/provisioning/dashboards/opstream/. */
export const DASHBOARDS: Readonly<Record<string, Dashboard>> = {
  '1-overview.json': overview,
  '2-channels.json': channels,
  '3-funnels.json': funnels,
  '4-retention.json': retention,
  '5-lifecycle.json': lifecycle,
  '6-alerts.json': alerts,
  '7-pipeline.json': pipeline,
}
