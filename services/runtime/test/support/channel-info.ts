import type { Opstream } from '../../src/contract/generated/attributed-event.ts'

type ChannelInfo = Opstream.ChannelInfo

/** A classified channel with only its group and source set, for tests. */
export function channelInfo(group: string, source: string | null = null): ChannelInfo {
  return {
    group,
    source,
    medium: null,
    campaign: null,
    term: null,
    content: null,
    keyword: null,
    referrer_domain: null,
    click_id_kind: null,
    name: null,
    owner: null,
  }
}
