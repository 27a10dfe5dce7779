import type { ChannelInfo, Touch } from './channel-classifier.ts'

/** What the operations team's channel catalog says of a campaign or channel code. */
export interface CatalogEntry {
  name: string
  group: string
  owner: string | null
}

/**
 * Joins the channel catalog onto classified channels: the campaign code (utm_campaign) is looked
 * up first, then the source (which carries the download-channel package code for app installs).
 * A catalogued code's group overrides the rule-based one — the team that bought the campaign
 * knows what it is — and brings the catalog name and owner.
 */
export function withCatalog(
  classify: (touch: Touch) => ChannelInfo,
  lookup: (code: string) => CatalogEntry | undefined,
): (touch: Touch) => ChannelInfo {
  return (touch) => {
    const channel = classify(touch)
    const entry =
      (channel.campaign ? lookup(channel.campaign) : undefined) ??
      (channel.source ? lookup(channel.source) : undefined)
    return entry ? { ...channel, group: entry.group, name: entry.name, owner: entry.owner } : channel
  }
}
