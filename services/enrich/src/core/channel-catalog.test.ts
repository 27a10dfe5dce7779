import { channelInfo } from '@opstream/runtime/testing/channel-info'
import { describe, expect, it } from 'vitest'
import { type CatalogEntry, withCatalog } from './channel-catalog.ts'
import type { Touch } from './channel-classifier.ts'

const touch = {} as Touch

describe('channel catalog join', () => {
  const catalog = new Map<string, CatalogEntry>([
    ['tt_1124_licai', { name: '头条-理财-双11', group: 'Paid Social', owner: 'growth-feed' }],
    ['huawei_store', { name: '华为应用市场', group: 'App Store', owner: 'app-team' }],
  ])
  const lookup = (code: string) => catalog.get(code)

  it('names a catalogued campaign code, with the catalog group and owner', () => {
    const classified = { ...channelInfo('Paid Other', 'toutiao'), campaign: 'tt_1124_licai' }
    expect(withCatalog(() => classified, lookup)(touch)).toEqual({
      ...classified,
      group: 'Paid Social',
      name: '头条-理财-双11',
      owner: 'growth-feed',
    })
  })

  it('falls back to the source (download channel package) when the campaign is not catalogued', () => {
    const classified = { ...channelInfo('App Store', 'huawei_store'), campaign: 'unknown' }
    const joined = withCatalog(() => classified, lookup)(touch)
    expect([joined.name, joined.owner, joined.group]).toEqual(['华为应用市场', 'app-team', 'App Store'])
  })

  it('leaves uncatalogued channels as classified', () => {
    const classified = channelInfo('Organic Search', 'Baidu')
    expect(withCatalog(() => classified, lookup)(touch)).toBe(classified)
  })
})
