import { sampleEvent } from '@opstream/runtime/testing/sample-events'
import { describe, expect, it } from 'vitest'
import { loadChannelRules } from '../adapters/channel-rules-file.ts'
import { attributeDeviceEvent, touchOf } from './attribute-event.ts'
import { createChannelClassifier } from './channel-classifier.ts'

const rules = loadChannelRules()
const classify = createChannelClassifier(rules)
const clickIdParams = Object.keys(rules.clickIds)

describe('touchOf', () => {
  it('reads utm and click ids from the landing URL when the campaign fields are empty', () => {
    const t = touchOf(
      sampleEvent({
        page: {
          url: 'https://m.example.cn/l?utm_source=baidu&utm_medium=cpc&bd_vid=123&x=1',
          path: null,
          referrer: null,
          title: null,
        },
      }),
      clickIdParams,
    )
    expect(t.utm).toEqual({ source: 'baidu', medium: 'cpc', campaign: null, term: null, content: null })
    expect(t.clickIds).toEqual({ bd_vid: '123' })
  })

  it('prefers the campaign fields the app sent', () => {
    const base = sampleEvent()
    const t = touchOf(
      sampleEvent({
        campaign: {
          ...base.campaign,
          utm_source: 'toutiao',
          clickid: 'ck',
          other_click_ids: { fbclid: 'f' },
        },
        page: { url: 'https://m.example.cn/l?utm_source=baidu', path: null, referrer: null, title: null },
        app_install: { store: 'huawei', download_channel: 'hw_pkg_01' },
      }),
      clickIdParams,
    )
    expect(t.utm.source).toBe('toutiao')
    expect(t.clickIds).toEqual({ clickid: 'ck', fbclid: 'f' })
    expect(t.downloadChannel).toBe('hw_pkg_01')
  })
})

describe('attributeDeviceEvent', () => {
  it('classifies the landing and carries the session into later events of the device', () => {
    const landing = sampleEvent({
      anonymous_id: 'd9',
      occurred_at: new Date('2026-11-24T10:00:00Z'),
      page: {
        url: 'https://m.example.cn/l?utm_source=toutiao&utm_medium=feed&clickid=ck1',
        path: null,
        referrer: null,
        title: null,
      },
    })
    const first = attributeDeviceEvent(landing, undefined, classify, clickIdParams)
    expect(first.attributed.attribution.channel).toMatchObject({
      group: 'Paid Social',
      source: 'toutiao',
      click_id_kind: 'clickid',
    })
    const register = sampleEvent({
      anonymous_id: 'd9',
      event: 'register',
      occurred_at: new Date('2026-11-24T10:05:00Z'),
      page: {
        url: 'https://m.example.cn/register',
        path: null,
        referrer: 'https://m.example.cn/l',
        title: null,
      },
    })
    const second = attributeDeviceEvent(register, first.state, classify, clickIdParams)
    expect(second.attributed.attribution.channel.group).toBe('Internal')
    expect(second.attributed.attribution.session).toMatchObject({
      session_id: 'd9:1',
      index: 1,
      channel: { group: 'Paid Social' },
    })
    expect(second.attributed.attribution.last_non_direct_touch?.channel.source).toBe('toutiao')
    expect(second.attributed.event).toBe(register)
  })
})
