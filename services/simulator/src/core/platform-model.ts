/**
 * The simulated platform: a Chinese internet-finance app's acquisition channels (each with its
 * share of new visitors, how well it converts, what it costs a day and how it reaches the app),
 * its platforms, its daily and weekly rhythm and its products. Data, not code: the journeys
 * read it, the channel catalog is fed from it, and the truth says what each channel brought.
 *
 * `expect` is how the pipeline's channel rules (services/enrich/config/channel-rules.json) file
 * a visit from the channel: its group and the code its cost is booked under (the campaign, else
 * the source), which is what the truth is kept by.
 */
export type Platform = 'web' | 'h5' | 'ios' | 'android' | 'miniprogram'

export interface ChannelModel {
  /** The simulator's name for the channel (incidents name it). */
  key: string
  /** Share of new visitors (relative weight). */
  share: number
  /** How a visitor of this channel converts, relative to the platform's base rates. */
  quality: number
  platforms: Partial<Record<Platform, number>>
  /** The landing: query parameters on the landing URL, the referrer, an app install. */
  landing: {
    utm?: { source: string; medium: string; campaign?: string }
    clickId?: 'bd_vid' | 'clickid' | 'gdt_vid'
    referrer?: string
    /** A download channel: the visit is an app install from this store. */
    store?: string
  }
  /** Cost a day in CNY (paid channels), booked under expect.costCode. */
  dailyCost?: number
  expect: { group: string; costCode: string }
}

const web = { web: 0.45, h5: 0.55 }
const mobileWeb = { h5: 0.7, web: 0.3 }
const inApp = { h5: 0.6, ios: 0.2, android: 0.2 }

export const CHANNELS: readonly ChannelModel[] = [
  {
    key: 'baidu_sem',
    share: 16,
    quality: 1.1,
    platforms: web,
    landing: {
      utm: { source: 'baidu', medium: 'cpc', campaign: 'bd_sem_brand' },
      clickId: 'bd_vid',
      referrer: 'https://www.baidu.com/s?wd=%E7%90%86%E8%B4%A2',
    },
    dailyCost: 18_000,
    expect: { group: 'Paid Search', costCode: 'bd_sem_brand' },
  },
  {
    key: 'baidu_organic',
    share: 9,
    quality: 1.2,
    platforms: web,
    landing: { referrer: 'https://www.baidu.com/s?wd=%E7%A8%B3%E5%81%A5%E7%90%86%E8%B4%A2' },
    expect: { group: 'Organic Search', costCode: 'Baidu' },
  },
  {
    key: 'sogou_sem',
    share: 3,
    quality: 0.9,
    platforms: web,
    landing: {
      utm: { source: 'sogou', medium: 'cpc', campaign: 'sg_sem' },
      referrer: 'https://www.sogou.com/web?query=%E7%90%86%E8%B4%A2',
    },
    dailyCost: 3_000,
    expect: { group: 'Paid Search', costCode: 'sg_sem' },
  },
  {
    key: 'so360_sem',
    share: 3,
    quality: 0.85,
    platforms: web,
    landing: {
      utm: { source: '360', medium: 'cpc', campaign: 'so_sem' },
      referrer: 'https://www.so.com/s?q=%E7%90%86%E8%B4%A2',
    },
    dailyCost: 2_600,
    expect: { group: 'Paid Search', costCode: 'so_sem' },
  },
  {
    key: 'shenma_sem',
    share: 4,
    quality: 0.8,
    platforms: mobileWeb,
    landing: {
      utm: { source: 'shenma', medium: 'cpc', campaign: 'sm_sem' },
      referrer: 'https://m.sm.cn/s?q=%E7%90%86%E8%B4%A2',
    },
    dailyCost: 3_200,
    expect: { group: 'Paid Search', costCode: 'sm_sem' },
  },
  {
    key: 'toutiao_feed',
    share: 14,
    quality: 0.75,
    platforms: inApp,
    landing: { utm: { source: 'toutiao', medium: 'feed', campaign: 'tt_feed' }, clickId: 'clickid' },
    dailyCost: 15_000,
    expect: { group: 'Paid Social', costCode: 'tt_feed' },
  },
  {
    key: 'douyin_feed',
    share: 10,
    quality: 0.6,
    platforms: inApp,
    landing: { utm: { source: 'douyin', medium: 'feed', campaign: 'dy_feed' }, clickId: 'clickid' },
    dailyCost: 11_000,
    expect: { group: 'Paid Social', costCode: 'dy_feed' },
  },
  {
    key: 'wechat_moments',
    share: 8,
    quality: 0.9,
    platforms: { h5: 0.5, miniprogram: 0.5 },
    landing: { utm: { source: 'wechat', medium: 'cpc', campaign: 'wx_moments' }, clickId: 'gdt_vid' },
    dailyCost: 9_000,
    expect: { group: 'Paid Social', costCode: 'wx_moments' },
  },
  {
    key: 'wechat_oa',
    share: 4,
    quality: 1.4,
    platforms: { h5: 0.4, miniprogram: 0.6 },
    landing: { utm: { source: 'wechat', medium: 'official_account', campaign: 'wx_oa_article' } },
    expect: { group: 'WeChat Official Account', costCode: 'wx_oa_article' },
  },
  {
    key: 'weibo',
    share: 3,
    quality: 0.6,
    platforms: mobileWeb,
    landing: { referrer: 'https://weibo.com/u/7310000001' },
    expect: { group: 'Organic Social', costCode: 'Weibo' },
  },
  {
    key: 'zhihu',
    share: 3,
    quality: 1.3,
    platforms: web,
    landing: { referrer: 'https://www.zhihu.com/question/41000001' },
    expect: { group: 'Organic Social', costCode: 'Zhihu' },
  },
  {
    key: 'xiaohongshu',
    share: 3,
    quality: 0.8,
    platforms: mobileWeb,
    landing: { referrer: 'https://www.xiaohongshu.com/explore/64a0000001' },
    expect: { group: 'Organic Social', costCode: 'Xiaohongshu' },
  },
  {
    key: 'bilibili',
    share: 2,
    quality: 0.7,
    platforms: mobileWeb,
    landing: { referrer: 'https://www.bilibili.com/video/BV1xx411c7mD' },
    expect: { group: 'Organic Social', costCode: 'Bilibili' },
  },
  ...(['huawei', 'xiaomi', 'oppo', 'vivo'] as const).map(
    (store): ChannelModel => ({
      key: `store_${store}`,
      share: 2.5,
      quality: 1,
      platforms: { android: 1 },
      landing: { store },
      dailyCost: 1_500,
      expect: { group: 'App Store', costCode: store },
    }),
  ),
  {
    key: 'store_appstore',
    share: 4,
    quality: 1.15,
    platforms: { ios: 1 },
    landing: { store: 'appstore' },
    dailyCost: 2_500,
    expect: { group: 'App Store', costCode: 'appstore' },
  },
  {
    key: 'sms',
    share: 2,
    quality: 0.5,
    platforms: { h5: 1 },
    landing: { utm: { source: 'sms', medium: 'sms', campaign: 'sms_newbie' } },
    dailyCost: 600,
    expect: { group: 'SMS', costCode: 'sms_newbie' },
  },
  {
    key: 'direct',
    share: 7,
    quality: 1,
    platforms: { web: 0.3, h5: 0.2, ios: 0.25, android: 0.25 },
    landing: {},
    expect: { group: 'Direct', costCode: '' },
  },
]

/**
 * The base funnel of a visitor (scaled by the channel's quality): registering, then each next
 * step given the one before.
 */
export const BASE_RATES = {
  register: 0.12,
  realName: 0.72,
  bindCard: 0.7,
  firstInvest: 0.55,
  /** Chance of each further purchase given the one before. */
  repurchase: 0.45,
}

/** Relative traffic by hour of the day in Asia/Shanghai (0–23): low at night, peaks at 10, 14, 21. */
export const HOURLY = [
  0.25, 0.15, 0.1, 0.08, 0.08, 0.12, 0.3, 0.6, 0.9, 1.1, 1.25, 1.2, 1.05, 1.1, 1.2, 1.15, 1.05, 1, 1, 1.1,
  1.25, 1.35, 1.1, 0.6,
]
/** Relative traffic by weekday (Monday first): a little lower at the weekend. */
export const WEEKLY = [1.05, 1.05, 1, 1, 0.95, 0.85, 0.9]

export interface Product {
  id: string
  type: string
  /** Days to maturity (0: none). */
  term: number
  /** The amounts a buyer picks from, CNY. */
  amounts: readonly number[]
}

export const PRODUCTS: readonly Product[] = [
  { id: 'p-7d', type: 'fixed', term: 7, amounts: [1_000, 2_000, 5_000] },
  { id: 'p-30d', type: 'fixed', term: 30, amounts: [5_000, 10_000, 20_000] },
  { id: 'p-90d', type: 'fixed', term: 90, amounts: [10_000, 30_000, 50_000] },
  { id: 'p-fund', type: 'fund', term: 0, amounts: [500, 1_000, 3_000] },
]

/** The e-commerce model's goods (orders instead of investments; prices in whole yuan). */
export const GOODS: readonly Product[] = [
  { id: 'g-tea', type: 'goods', term: 0, amounts: [39, 59, 89] },
  { id: 'g-skincare', type: 'goods', term: 0, amounts: [129, 199, 299] },
  { id: 'g-earbuds', type: 'goods', term: 0, amounts: [199, 399, 599] },
  { id: 'g-rice-cooker', type: 'goods', term: 0, amounts: [299, 459] },
]

export const PAGES = [
  '/',
  '/products',
  '/products/p-30d',
  '/newbie',
  '/about/safety',
  '/help',
  '/articles/1024',
]
export const CONTENT = ['banner-newbie', 'card-p30d', 'card-p90d', 'article-1024', 'article-2048']
export const CITIES = ['上海', '北京', '深圳', '广州', '杭州', '成都', '武汉', '南京']
export const BANKS = ['招商银行', '工商银行', '建设银行', '农业银行', '中国银行', '平安银行']
