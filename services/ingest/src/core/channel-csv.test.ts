import { describe, expect, it } from 'vitest'
import { channelsFromCsv } from './channel-csv.ts'

describe('channelsFromCsv', () => {
  it('groups a code’s daily costs into one entry', () => {
    const csv = [
      'code,name,channel_group,owner,date,amount,currency',
      'tt-double11,头条信息流-双11,Paid Social,growth,2026-11-11,12000.50,CNY',
      'tt-double11,头条信息流-双11,Paid Social,growth,2026-11-12,9800,',
      'bd-brand,"百度品牌专区, 全国",Paid Search,,,,',
    ].join('\n')
    expect(channelsFromCsv(csv)).toEqual({
      errors: [],
      channels: [
        {
          code: 'tt-double11',
          name: '头条信息流-双11',
          channel_group: 'Paid Social',
          owner: 'growth',
          costs: [
            { date: '2026-11-11', amount: '12000.50', currency: 'CNY' },
            { date: '2026-11-12', amount: '9800', currency: 'CNY' },
          ],
        },
        {
          code: 'bd-brand',
          name: '百度品牌专区, 全国',
          channel_group: 'Paid Search',
          owner: null,
          costs: [],
        },
      ],
    })
  })

  it('reports rows that contradict each other, empty codes and missing columns with their line', () => {
    const csv = [
      'code,name,channel_group,date,amount',
      'a,A,Paid Search,2026-01-01,1',
      'a,B,Paid Search,2026-01-02,1',
      ',X,Y,,',
    ].join('\n')
    expect(channelsFromCsv(csv).errors).toEqual([
      'line 3: name, channel_group or owner differ from an earlier row of a',
      'line 4: code is empty',
    ])
    expect(channelsFromCsv('code,name\nx,y').errors).toEqual(['missing columns: channel_group, date, amount'])
  })
})
