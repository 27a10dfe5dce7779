import { fileURLToPath } from 'node:url'
import { loadJsonConfig } from '@opstream/runtime/json-config'
import { type FunnelsFile, funnelsFileSchema } from '../core/funnel-config.ts'

export const DEFAULT_FUNNELS = fileURLToPath(new URL('../../config/funnels.json', import.meta.url))

/** Reads and validates a funnels file; every problem is named with its path in the file. */
export function loadFunnels(path: string = DEFAULT_FUNNELS): FunnelsFile {
  return loadJsonConfig(path, funnelsFileSchema, 'funnels')
}
