import { describe, expect, it } from 'vitest'
import { CASES, type Case, PAGE, UA } from '../../test/support/channel-cases.ts'
import { loadChannelRules } from '../adapters/channel-rules-file.ts'
import { createChannelClassifier, type Touch } from './channel-classifier.ts'
import { channelRulesSchema } from './channel-rules.ts'

const classify = createChannelClassifier(loadChannelRules())

function touch(c: Case): Touch {
  return {
    utm: { source: null, medium: null, campaign: null, term: null, content: null, ...c.utm },
    clickIds: c.click ?? {},
    pageUrl: c.page ?? PAGE,
    referrer: c.ref ?? null,
    userAgent: c.ua ?? UA.chrome,
    downloadChannel: c.dl ?? null,
  }
}

describe('channel classification: the labelled table', () => {
  it('has at least 150 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150)
  })

  it.each(CASES)('%s', (_name, input, [group, source, extra]) => {
    const got = classify(touch(input))
    expect(got.group).toBe(group)
    if (source !== undefined) expect(got.source).toBe(source)
    if (extra?.keyword !== undefined) expect(got.keyword).toBe(extra.keyword)
    if (extra?.click !== undefined) expect(got.click_id_kind).toBe(extra.click)
    if (extra?.medium !== undefined) expect(got.medium).toBe(extra.medium)
  })
})

describe('rules are data', () => {
  it('changing the rules file changes the answer, without code', () => {
    const rules = loadChannelRules()
    const edited = channelRulesSchema.parse({
      ...rules,
      internalDomains: ['partner.example.org', 'example.org'],
      rules: [{ group: 'Partner', when: { utmSource: '^partnerx$' } }, ...rules.rules],
    })
    const c = createChannelClassifier(edited)
    expect(c(touch({ utm: { source: 'partnerx', medium: 'qrcode' } })).group).toBe('Partner')
    expect(c(touch({ ref: 'https://partner.example.org/' })).group).toBe('Internal')
  })

  it('a rules file naming an unknown source is refused with its path', () => {
    const rules = loadChannelRules()
    const result = channelRulesSchema.safeParse({ ...rules, userAgents: [{ pattern: 'X', source: 'nope' }] })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual(['userAgents', 0, 'source'])
  })
})
