import type { Event } from '@opstream/runtime/contract/generated/event'

/** What the server knows about a request, stamped onto every event in it. */
export interface RequestContext {
  appId: string
  platform: Event['app']['platform']
  receivedAt: Date
  ip: string | null
  /** Generates event ids for events that bring none (injected for deterministic tests). */
  newId: () => string
}
