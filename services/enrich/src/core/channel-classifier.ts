import type { Opstream } from '@opstream/runtime/contract/generated/attributed-event'
import { getDomain, getHostname } from 'tldts'
import type { ChannelRules, RuleCondition, SourceType } from './channel-rules.ts'

export type ChannelInfo = Opstream.ChannelInfo

/** What a touch brings to classify: campaign parameters, click ids, referrer, user agent. */
export interface Touch {
  utm: {
    source: string | null
    medium: string | null
    campaign: string | null
    term: string | null
    content: string | null
  }
  /** Click id parameters present on the landing URL, by parameter name. */
  clickIds: Readonly<Record<string, string>>
  pageUrl: string | null
  referrer: string | null
  userAgent: string | null
  /** The app's download (channel package) attribution, for app installs. */
  downloadChannel: string | null
}

interface Facts {
  medium: string
  utmSource: string
  sourceId: string | undefined
  sourceType: SourceType | undefined
  paid: boolean
  clickIdKind: string | null
  clickIdPaid: string | null
  campaign: boolean
  referrer: boolean
  referrerInternal: boolean
  referrerDomain: string | null
  downloadChannel: boolean
}

/**
 * Builds the classifier for a rules file: sources are looked up by utm_source (id, alias, name
 * or host), click id, referrer host and in-app user agent; the ordered rules then pick the
 * channel group. Pure: same touch, same answer.
 */
export function createChannelClassifier(rules: ChannelRules): (touch: Touch) => ChannelInfo {
  const byHost = new Map<string, string>()
  const byName = new Map<string, string>()
  for (const [id, s] of Object.entries(rules.sources)) {
    for (const h of s.hosts) byHost.set(h.toLowerCase(), id)
    for (const n of [id, s.name, ...s.aliases]) byName.set(n.toLowerCase(), id)
  }
  const paidMedium = new RegExp(rules.paidMedium, 'i')
  const userAgents = rules.userAgents.map((u) => ({ re: new RegExp(u.pattern, 'i'), source: u.source }))
  const compiled = rules.rules.map((r) => ({ group: r.group, test: compileCondition(r.when) }))
  const internal = new Set(rules.internalDomains.map((d) => d.toLowerCase()))

  const sourceOfHost = (host: string): string | undefined => {
    const parts = host.toLowerCase().split('.')
    for (let i = 0; i < parts.length - 1; i++) {
      const id = byHost.get(parts.slice(i).join('.'))
      if (id) return id
    }
    return undefined
  }
  const sourceOfName = (name: string): string | undefined => {
    const n = name.trim().toLowerCase()
    return byName.get(n) ?? (n.includes('.') ? sourceOfHost(getHostname(n) ?? n) : undefined)
  }

  return function classifyChannel(touch: Touch): ChannelInfo {
    // An Android app referrer (android-app://com.tencent.mm/) names the app, not a web host.
    const appPackage = touch.referrer?.startsWith('android-app://')
      ? (touch.referrer.slice(14).split('/')[0] ?? '')
      : null
    const refHost =
      appPackage !== null ? appPackage || null : touch.referrer ? getHostname(touch.referrer) : null
    const refDomain = appPackage === null && touch.referrer ? getDomain(touch.referrer) : null
    const pageDomain = touch.pageUrl ? getDomain(touch.pageUrl) : null
    const referrerInternal = refDomain !== null && (internal.has(refDomain) || refDomain === pageDomain)
    const utmSourceId = touch.utm.source ? sourceOfName(touch.utm.source) : undefined
    const refSourceId =
      appPackage !== null
        ? rules.appPackages[appPackage]
        : refHost && !referrerInternal
          ? sourceOfHost(refHost)
          : undefined
    const uaSourceId = touch.userAgent
      ? userAgents.find((u) => u.re.test(touch.userAgent as string))?.source
      : undefined
    const context = new Set(
      [utmSourceId, refSourceId, uaSourceId].filter((s): s is string => s !== undefined),
    )

    let clickIdKind: string | null = null
    let clickIdSource: string | undefined
    let clickIdPaid: string | null = null
    for (const [param, c] of Object.entries(rules.clickIds)) {
      if (!touch.clickIds[param]) continue
      if (c.onlyWithSources && !c.onlyWithSources.some((s) => context.has(s))) continue
      clickIdKind = param
      clickIdSource = c.source
      clickIdPaid = c.paid
      break
    }
    const sourceId = utmSourceId ?? clickIdSource ?? refSourceId ?? uaSourceId
    const source = sourceId ? rules.sources[sourceId] : undefined
    const utmPresent = Object.values(touch.utm).some((v) => v !== null && v !== '')
    const facts: Facts = {
      medium: touch.utm.medium ?? '',
      utmSource: touch.utm.source ?? '',
      sourceId,
      sourceType: source?.type,
      paid: touch.utm.medium !== null && paidMedium.test(touch.utm.medium),
      clickIdKind,
      clickIdPaid,
      campaign: utmPresent || clickIdKind !== null,
      referrer: refHost !== null && !referrerInternal,
      referrerInternal,
      referrerDomain: refDomain,
      downloadChannel: touch.downloadChannel !== null && touch.downloadChannel !== '',
    }
    const group = compiled.find((r) => r.test(facts))?.group ?? rules.fallback
    const refSource = refSourceId ? rules.sources[refSourceId] : undefined
    const keyword =
      refSource && touch.referrer
        ? keywordFrom(touch.referrer, refSource.keywordParams)
        : source?.type === 'search'
          ? touch.utm.term
          : null
    return {
      group,
      source: touch.utm.source ?? source?.name ?? (touch.downloadChannel || refDomain || appPackage || null),
      medium: touch.utm.medium ?? derivedMedium(group),
      campaign: touch.utm.campaign,
      term: touch.utm.term,
      content: touch.utm.content,
      keyword: keyword ?? null,
      referrer_domain: refDomain,
      click_id_kind: clickIdKind,
      name: null,
      owner: null,
    }
  }
}

function compileCondition(c: RuleCondition): (f: Facts) => boolean {
  const medium = c.medium !== undefined ? new RegExp(c.medium, 'i') : undefined
  const utmSource = c.utmSource !== undefined ? new RegExp(c.utmSource, 'i') : undefined
  return (f) =>
    (medium === undefined || medium.test(f.medium)) &&
    (utmSource === undefined || utmSource.test(f.utmSource)) &&
    (c.source === undefined || (f.sourceId !== undefined && c.source.includes(f.sourceId))) &&
    (c.sourceType === undefined || (f.sourceType !== undefined && c.sourceType.includes(f.sourceType))) &&
    (c.paid === undefined || c.paid === f.paid) &&
    (c.clickIdPaid === undefined || c.clickIdPaid === f.clickIdPaid) &&
    (c.campaign === undefined || c.campaign === f.campaign) &&
    (c.referrer === undefined || c.referrer === f.referrer) &&
    (c.referrerInternal === undefined || c.referrerInternal === f.referrerInternal) &&
    (c.downloadChannel === undefined || c.downloadChannel === f.downloadChannel)
}

function keywordFrom(url: string, params: readonly string[]): string | null {
  try {
    const q = new URL(url).searchParams
    for (const p of params) {
      const v = q.get(p)
      if (v) return v
    }
  } catch {
    // an unparsable referrer has no keyword
  }
  return null
}

const DERIVED_MEDIUM: Record<string, string> = {
  'Organic Search': 'organic',
  'Organic Social': 'social',
  Referral: 'referral',
  Direct: '(none)',
  'Paid Search': 'cpc',
  'Paid Social': 'cpc',
  Display: 'display',
}

function derivedMedium(group: string): string | null {
  return DERIVED_MEDIUM[group] ?? null
}
