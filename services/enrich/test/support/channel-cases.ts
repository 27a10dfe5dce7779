/**
 * The labelled table for channel classification: what arrives, and the channel an operations
 * analyst would file it under. Used by channel-classifier.test.ts.
 */
import type { Touch } from '../../src/core/channel-classifier.ts'
export const UA = {
  wechat:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.44(0x18002c2a) NetType/WIFI',
  weibo:
    'Mozilla/5.0 (Linux; Android 13) Mobile Safari/537.36 Weibo (Xiaomi-M2012K11AC__weibo__13.9.0__android__android13)',
  toutiao:
    'Mozilla/5.0 (Linux; Android 14; V2309A) Mobile Safari/537.36 JsSdk/2 NewsArticle/9.6.8 NetType/wifi',
  baiduapp: 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) Mobile/15E148 baiduboxapp/13.40.0.10',
  douyin:
    'Mozilla/5.0 (Linux; Android 12) Mobile Safari/537.36 aweme_270300 JsSdk/1.0 NetType/WIFI Channel/douyin',
  kuaishou: 'Mozilla/5.0 (Linux; Android 11) Mobile Safari/537.36 Kwai/11.9.10.36095',
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
  safari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1',
}
export const PAGE = 'https://www.example.cn/landing'

export interface Case {
  utm?: Partial<Touch['utm']>
  click?: Record<string, string>
  ref?: string
  ua?: string
  dl?: string
  page?: string
}
export type Expect = [
  group: string,
  source?: string | null,
  extra?: { keyword?: string | null; click?: string | null; medium?: string | null },
]

// Each row: what arrives, and the channel an operations analyst would file it under.
export const CASES: Array<[string, Case, Expect]> = [
  // --- Organic search: referrer host, keyword parameter ---
  [
    'baidu pc, wd',
    { ref: 'https://www.baidu.com/s?wd=%E7%90%86%E8%B4%A2&ie=utf-8' },
    ['Organic Search', 'Baidu', { keyword: '理财' }],
  ],
  [
    'baidu mobile, word',
    { ref: 'https://m.baidu.com/s?word=%E5%9F%BA%E9%87%91' },
    ['Organic Search', 'Baidu', { keyword: '基金' }],
  ],
  ['baidu kw', { ref: 'https://www.baidu.com/s?kw=p2p' }, ['Organic Search', 'Baidu', { keyword: 'p2p' }]],
  [
    'baidu without keyword (https strips it)',
    { ref: 'https://www.baidu.com/' },
    ['Organic Search', 'Baidu', { keyword: null }],
  ],
  [
    'baidu link redirect',
    { ref: 'https://www.baidu.com/link?url=abc' },
    ['Organic Search', 'Baidu', { keyword: null }],
  ],
  ['baidu tieba is social', { ref: 'https://tieba.baidu.com/p/123' }, ['Organic Social', 'Baidu Tieba']],
  [
    'sogou www query',
    { ref: 'https://www.sogou.com/web?query=%E8%B4%B7%E6%AC%BE' },
    ['Organic Search', 'Sogou', { keyword: '贷款' }],
  ],
  [
    'sogou wap keyword',
    { ref: 'https://m.sogou.com/web/searchList.jsp?keyword=licai' },
    ['Organic Search', 'Sogou', { keyword: 'licai' }],
  ],
  [
    'sogou wechat search',
    { ref: 'https://weixin.sogou.com/weixin?query=abc' },
    ['Organic Search', 'Sogou', { keyword: 'abc' }],
  ],
  [
    '360 so.com',
    { ref: 'https://www.so.com/s?q=%E4%BF%A1%E7%94%A8%E5%8D%A1' },
    ['Organic Search', '360 Search', { keyword: '信用卡' }],
  ],
  [
    '360 m.so.com',
    { ref: 'https://m.so.com/s?q=bank' },
    ['Organic Search', '360 Search', { keyword: 'bank' }],
  ],
  ['360.cn', { ref: 'https://www.360.cn/' }, ['Organic Search', '360 Search']],
  [
    'shenma m.sm.cn',
    { ref: 'https://m.sm.cn/s?q=%E7%90%86%E8%B4%A2' },
    ['Organic Search', 'Shenma', { keyword: '理财' }],
  ],
  [
    'shenma yz.m.sm.cn',
    { ref: 'https://yz.m.sm.cn/s?q=fund' },
    ['Organic Search', 'Shenma', { keyword: 'fund' }],
  ],
  [
    'bing cn',
    { ref: 'https://cn.bing.com/search?q=invest' },
    ['Organic Search', 'Bing', { keyword: 'invest' }],
  ],
  [
    'bing www',
    { ref: 'https://www.bing.com/search?q=loan' },
    ['Organic Search', 'Bing', { keyword: 'loan' }],
  ],
  ['google com', { ref: 'https://www.google.com/' }, ['Organic Search', 'Google']],
  [
    'google hk with q',
    { ref: 'https://www.google.com.hk/search?q=etf' },
    ['Organic Search', 'Google', { keyword: 'etf' }],
  ],
  ['google cn', { ref: 'https://www.google.cn/' }, ['Organic Search', 'Google']],
  [
    'yahoo',
    { ref: 'https://search.yahoo.com/search?p=bonds' },
    ['Organic Search', 'Yahoo', { keyword: 'bonds' }],
  ],
  ['duckduckgo', { ref: 'https://duckduckgo.com/' }, ['Organic Search', 'DuckDuckGo']],
  ['yandex', { ref: 'https://yandex.ru/search/?text=x' }, ['Organic Search', 'Yandex', { keyword: 'x' }]],
  [
    'toutiao search',
    { ref: 'https://so.toutiao.com/search?keyword=%E5%9F%BA%E9%87%91' },
    ['Organic Search', 'Toutiao Search', { keyword: '基金' }],
  ],
  ['baidu app in-app browser, no referrer', { ua: UA.baiduapp }, ['Organic Search', 'Baidu']],
  [
    'utm_source=baidu, medium organic',
    { utm: { source: 'baidu', medium: 'organic' } },
    ['Organic Search', 'baidu'],
  ],
  ['utm_source=google, no medium', { utm: { source: 'google' } }, ['Organic Search', 'google']],
  ['utm_source host name', { utm: { source: 'www.so.com' } }, ['Organic Search', 'www.so.com']],
  // --- Paid search ---
  [
    'bd_vid click id',
    { click: { bd_vid: 'x1' }, ref: 'https://www.baidu.com/' },
    ['Paid Search', 'Baidu', { click: 'bd_vid', medium: 'cpc' }],
  ],
  ['bd_vid without referrer', { click: { bd_vid: 'x1' } }, ['Paid Search', 'Baidu', { click: 'bd_vid' }]],
  ['gclid', { click: { gclid: 'g' } }, ['Paid Search', 'Google', { click: 'gclid' }]],
  ['gbraid', { click: { gbraid: 'g' } }, ['Paid Search', 'Google', { click: 'gbraid' }]],
  ['wbraid', { click: { wbraid: 'w' } }, ['Paid Search', 'Google', { click: 'wbraid' }]],
  ['msclkid', { click: { msclkid: 'm' } }, ['Paid Search', 'Bing', { click: 'msclkid' }]],
  ['baidu cpc', { utm: { source: 'baidu', medium: 'cpc', campaign: 'brand' } }, ['Paid Search', 'baidu']],
  ['baidu ocpc', { utm: { source: 'baidu', medium: 'ocpc' } }, ['Paid Search', 'baidu']],
  ['baidu sem', { utm: { source: 'baidu', medium: 'sem' } }, ['Paid Search', 'baidu']],
  ['sogou ppc', { utm: { source: 'sogou', medium: 'ppc' } }, ['Paid Search', 'sogou']],
  ['360 cpc', { utm: { source: '360', medium: 'cpc' } }, ['Paid Search', '360']],
  ['shenma cpc', { utm: { source: 'shenma', medium: 'cpc' } }, ['Paid Search', 'shenma']],
  ['sm.cn cpc', { utm: { source: 'sm.cn', medium: 'cpc' } }, ['Paid Search', 'sm.cn']],
  ['bing paid', { utm: { source: 'bing', medium: 'paid' } }, ['Paid Search', 'bing']],
  ['google paidsearch', { utm: { source: 'google', medium: 'paidsearch' } }, ['Paid Search', 'google']],
  ['baidu 竞价 (bidding ads)', { utm: { source: '百度', medium: '竞价' } }, ['Paid Search', '百度']],
  ['Baidu mixed case CPC', { utm: { source: 'Baidu', medium: 'CPC' } }, ['Paid Search', 'Baidu']],
  ['baidu retargeting', { utm: { source: 'baidu', medium: 'retargeting' } }, ['Paid Search', 'baidu']],
  [
    'paid search with keyword from utm_term',
    { utm: { source: 'baidu', medium: 'cpc', term: '理财产品' } },
    ['Paid Search', 'baidu', { keyword: '理财产品' }],
  ],
  [
    'paid search with referrer keyword',
    { utm: { source: 'baidu', medium: 'cpc' }, ref: 'https://www.baidu.com/s?wd=%E7%90%86%E8%B4%A2' },
    ['Paid Search', 'baidu', { keyword: '理财' }],
  ],
  // --- Paid social / feed ads ---
  ['gdt_vid', { click: { gdt_vid: 'wx0abc' } }, ['Paid Social', 'Tencent Ads', { click: 'gdt_vid' }]],
  ['qz_gdt', { click: { qz_gdt: 'q' } }, ['Paid Social', 'Tencent Ads', { click: 'qz_gdt' }]],
  [
    'gdt_vid inside WeChat',
    { click: { gdt_vid: 'wx0' }, ua: UA.wechat },
    ['Paid Social', 'Tencent Ads', { click: 'gdt_vid' }],
  ],
  [
    'clickid with utm_source toutiao',
    { click: { clickid: 'c' }, utm: { source: 'toutiao' } },
    ['Paid Social', 'toutiao', { click: 'clickid' }],
  ],
  [
    'clickid with utm_source douyin',
    { click: { clickid: 'c' }, utm: { source: 'douyin' } },
    ['Paid Social', 'douyin', { click: 'clickid' }],
  ],
  [
    'clickid in Toutiao app',
    { click: { clickid: 'c' }, ua: UA.toutiao },
    ['Paid Social', 'Ocean Engine', { click: 'clickid' }],
  ],
  [
    'clickid in Douyin app',
    { click: { clickid: 'c' }, ua: UA.douyin },
    ['Paid Social', 'Ocean Engine', { click: 'clickid' }],
  ],
  [
    'clickid from toutiao referrer',
    { click: { clickid: 'c' }, ref: 'https://www.toutiao.com/' },
    ['Paid Social', 'Ocean Engine', { click: 'clickid' }],
  ],
  [
    'clickid with oceanengine source',
    { click: { clickid: 'c' }, utm: { source: 'oceanengine' } },
    ['Paid Social', 'oceanengine', { click: 'clickid' }],
  ],
  [
    'generic clickid alone is not Ocean Engine',
    { click: { clickid: 'c' } },
    ['Direct', null, { click: null }],
  ],
  [
    'generic clickid with unrelated referrer',
    { click: { clickid: 'c' }, ref: 'https://news.example.org/a' },
    ['Referral', 'example.org', { click: null }],
  ],
  ['ttclid', { click: { ttclid: 't' } }, ['Paid Social', 'TikTok', { click: 'ttclid' }]],
  ['toutiao feed medium', { utm: { source: 'toutiao', medium: 'feed' } }, ['Paid Social', 'toutiao']],
  ['toutiao 信息流', { utm: { source: '今日头条', medium: '信息流' } }, ['Paid Social', '今日头条']],
  ['douyin cpc', { utm: { source: 'douyin', medium: 'cpc' } }, ['Paid Social', 'douyin']],
  ['douyin ocpm', { utm: { source: 'douyin', medium: 'ocpm' } }, ['Paid Social', 'douyin']],
  ['kuaishou cpc', { utm: { source: 'kuaishou', medium: 'cpc' } }, ['Paid Social', 'kuaishou']],
  ['快手 paid_social', { utm: { source: '快手', medium: 'paid_social' } }, ['Paid Social', '快手']],
  [
    'wechat moments ads',
    { utm: { source: 'wechat', medium: 'cpc', campaign: 'moments' } },
    ['Paid Social', 'wechat'],
  ],
  ['朋友圈 ads', { utm: { source: '朋友圈', medium: 'ads' } }, ['Paid Social', '朋友圈']],
  ['gdt source cpm-ish medium', { utm: { source: 'gdt', medium: 'cpc' } }, ['Paid Social', 'gdt']],
  ['weibo paid', { utm: { source: 'weibo', medium: 'paid' } }, ['Paid Social', 'weibo']],
  ['zhihu cpc', { utm: { source: 'zhihu', medium: 'cpc' } }, ['Paid Social', 'zhihu']],
  ['xiaohongshu cpc', { utm: { source: 'xiaohongshu', medium: 'cpc' } }, ['Paid Social', 'xiaohongshu']],
  ['xhs feeds', { utm: { source: 'xhs', medium: 'feeds' } }, ['Paid Social', 'xhs']],
  ['bilibili cpc', { utm: { source: 'bilibili', medium: 'cpc' } }, ['Paid Social', 'bilibili']],
  ['facebook paid', { utm: { source: 'facebook', medium: 'paid_social' } }, ['Paid Social', 'facebook']],
  ['pangle (穿山甲) network', { utm: { source: 'pangle', medium: 'cpm' } }, ['Paid Social', 'pangle']],
  ['wechat oa paid promotion', { utm: { source: 'wechat_oa', medium: 'cpc' } }, ['Paid Social', 'wechat_oa']],
  // --- Display ---
  [
    'display medium',
    { utm: { source: 'sina', medium: 'display' } },
    ['Display', 'sina', { medium: 'display' }],
  ],
  ['banner', { utm: { source: 'ifeng', medium: 'banner' } }, ['Display', 'ifeng']],
  ['interstitial', { utm: { source: 'adnet', medium: 'interstitial' } }, ['Display', 'adnet']],
  ['dclid', { click: { dclid: 'd' } }, ['Display', 'Google', { click: 'dclid' }]],
  ['展示', { utm: { source: 'portal', medium: '展示' } }, ['Display', 'portal']],
  // --- App store / download channel ---
  ['download channel huawei', { dl: 'huawei' }, ['App Store', 'huawei']],
  ['download channel xiaomi', { dl: 'xiaomi' }, ['App Store', 'xiaomi']],
  ['download channel yingyongbao', { dl: 'yingyongbao' }, ['App Store', 'yingyongbao']],
  ['download channel package', { dl: 'toutiao_pkg_001' }, ['App Store', 'toutiao_pkg_001']],
  [
    'download channel with paid utm stays paid',
    { dl: 'huawei', utm: { source: 'toutiao', medium: 'feed' } },
    ['Paid Social', 'toutiao'],
  ],
  ['app store referrer', { ref: 'https://apps.apple.com/cn/app/id123' }, ['App Store', 'App Store']],
  [
    'google play referrer',
    { ref: 'https://play.google.com/store/apps/details?id=x' },
    ['App Store', 'Google Play'],
  ],
  ['xiaomi store referrer', { ref: 'https://app.mi.com/details?id=x' }, ['App Store', 'Xiaomi App Store']],
  [
    'huawei appgallery referrer',
    { ref: 'https://appgallery.huawei.com/app/C1' },
    ['App Store', 'Huawei AppGallery'],
  ],
  [
    'yingyongbao referrer',
    { ref: 'https://sj.qq.com/appdetail/x' },
    ['App Store', 'Tencent MyApp (Yingyongbao)'],
  ],
  ['utm_source appstore', { utm: { source: 'appstore' } }, ['App Store', 'appstore']],
  ['vivo store', { utm: { source: 'vivo', medium: 'store' } }, ['App Store', 'vivo']],
  ['oppo store', { utm: { source: 'oppo' } }, ['App Store', 'oppo']],
  // --- Affiliate / KOL ---
  ['affiliate', { utm: { source: 'linkstar', medium: 'affiliate' } }, ['Affiliate / KOL', 'linkstar']],
  ['kol', { utm: { source: 'xiaohongshu', medium: 'kol' } }, ['Affiliate / KOL', 'xiaohongshu']],
  ['influencer', { utm: { source: 'bilibili', medium: 'influencer' } }, ['Affiliate / KOL', 'bilibili']],
  ['达人', { utm: { source: 'douyin', medium: '达人' } }, ['Affiliate / KOL', 'douyin']],
  ['cps', { utm: { source: 'duoduo', medium: 'cps' } }, ['Affiliate / KOL', 'duoduo']],
  // --- Paid other ---
  ['unknown source cpc', { utm: { source: 'someadnet', medium: 'cpc' } }, ['Paid Other', 'someadnet']],
  ['no source paid', { utm: { medium: 'paid' } }, ['Paid Other', null]],
  ['unknown ppc', { utm: { source: 'x', medium: 'ppc' } }, ['Paid Other', 'x']],
  ['cpa network', { utm: { source: 'cpanet', medium: 'cpa' } }, ['Paid Other', 'cpanet']],
  // --- WeChat official account ---
  [
    'mp.weixin article referrer',
    { ref: 'https://mp.weixin.qq.com/s/abcdef' },
    ['WeChat Official Account', 'WeChat Official Accounts'],
  ],
  [
    'mp.weixin in WeChat',
    { ref: 'https://mp.weixin.qq.com/s?__biz=MzA', ua: UA.wechat },
    ['WeChat Official Account', 'WeChat Official Accounts'],
  ],
  [
    'utm wechat + official_account',
    { utm: { source: 'wechat', medium: 'official_account' } },
    ['WeChat Official Account', 'wechat'],
  ],
  [
    'utm weixin + 公众号',
    { utm: { source: 'weixin', medium: '公众号' } },
    ['WeChat Official Account', 'weixin'],
  ],
  ['utm wx + mp', { utm: { source: 'wx', medium: 'mp' } }, ['WeChat Official Account', 'wx']],
  // --- Organic social ---
  ['weixin.qq.com referrer', { ref: 'https://weixin.qq.com/' }, ['Organic Social', 'WeChat']],
  ['open.weixin referrer', { ref: 'https://open.weixin.qq.com/connect' }, ['Organic Social', 'WeChat']],
  ['in WeChat, no referrer', { ua: UA.wechat }, ['Organic Social', 'WeChat']],
  ['in Weibo app', { ua: UA.weibo }, ['Organic Social', 'Weibo']],
  ['in Toutiao app', { ua: UA.toutiao }, ['Organic Social', 'Toutiao']],
  ['in Douyin app', { ua: UA.douyin }, ['Organic Social', 'Douyin']],
  ['in Kuaishou app', { ua: UA.kuaishou }, ['Organic Social', 'Kuaishou']],
  ['weibo.com', { ref: 'https://weibo.com/u/123' }, ['Organic Social', 'Weibo']],
  ['m.weibo.cn', { ref: 'https://m.weibo.cn/status/1' }, ['Organic Social', 'Weibo']],
  ['t.cn short link', { ref: 'http://t.cn/A6abc' }, ['Organic Social', 'Weibo']],
  ['zhihu question', { ref: 'https://www.zhihu.com/question/1' }, ['Organic Social', 'Zhihu']],
  ['zhuanlan zhihu', { ref: 'https://zhuanlan.zhihu.com/p/1' }, ['Organic Social', 'Zhihu']],
  ['xiaohongshu', { ref: 'https://www.xiaohongshu.com/explore/1' }, ['Organic Social', 'Xiaohongshu']],
  ['xhslink short', { ref: 'http://xhslink.com/a/b' }, ['Organic Social', 'Xiaohongshu']],
  ['bilibili video', { ref: 'https://www.bilibili.com/video/BV1' }, ['Organic Social', 'Bilibili']],
  ['b23.tv short', { ref: 'https://b23.tv/abc' }, ['Organic Social', 'Bilibili']],
  ['douban', { ref: 'https://www.douban.com/group/1' }, ['Organic Social', 'Douban']],
  ['toutiao article', { ref: 'https://www.toutiao.com/article/1/' }, ['Organic Social', 'Toutiao']],
  ['m.toutiao', { ref: 'https://m.toutiao.com/i1/' }, ['Organic Social', 'Toutiao']],
  ['douyin web', { ref: 'https://www.douyin.com/video/1' }, ['Organic Social', 'Douyin']],
  ['iesdouyin share', { ref: 'https://www.iesdouyin.com/share/video/1' }, ['Organic Social', 'Douyin']],
  ['kuaishou web', { ref: 'https://www.kuaishou.com/short-video/1' }, ['Organic Social', 'Kuaishou']],
  ['gifshow share', { ref: 'https://v.m.chenzhongtech.com/fw/photo/1' }, ['Organic Social', 'Kuaishou']],
  ['qzone', { ref: 'https://user.qzone.qq.com/1' }, ['Organic Social', 'Qzone']],
  ['facebook', { ref: 'https://m.facebook.com/' }, ['Organic Social', 'Facebook']],
  [
    'fbclid organic',
    { click: { fbclid: 'f' }, ref: 'https://l.facebook.com/' },
    ['Organic Social', 'Facebook', { click: 'fbclid' }],
  ],
  ['t.co', { ref: 'https://t.co/abc' }, ['Organic Social', 'X (Twitter)']],
  ['linkedin', { ref: 'https://www.linkedin.com/feed/' }, ['Organic Social', 'LinkedIn']],
  ['youtube', { ref: 'https://www.youtube.com/watch?v=1' }, ['Organic Social', 'YouTube']],
  ['instagram', { ref: 'https://www.instagram.com/' }, ['Organic Social', 'Instagram']],
  ['tiktok', { ref: 'https://www.tiktok.com/@x' }, ['Organic Social', 'TikTok']],
  ['utm weibo social', { utm: { source: 'weibo', medium: 'social' } }, ['Organic Social', 'weibo']],
  ['utm zhihu answer', { utm: { source: 'zhihu', medium: 'answer' } }, ['Organic Social', 'zhihu']],
  ['utm 小红书 note', { utm: { source: '小红书', medium: 'note' } }, ['Organic Social', '小红书']],
  ['utm wechat share', { utm: { source: 'wechat', medium: 'share' } }, ['Organic Social', 'wechat']],
  [
    'tieba via utm',
    { utm: { source: 'tieba.baidu.com', medium: 'post' } },
    ['Organic Social', 'tieba.baidu.com'],
  ],
  // --- SMS / Push / Email ---
  ['sms medium', { utm: { source: 'marketing', medium: 'sms' } }, ['SMS', 'marketing']],
  ['短信', { utm: { source: 'crm', medium: '短信' } }, ['SMS', 'crm']],
  ['sms source only', { utm: { source: 'sms' } }, ['SMS', 'sms']],
  ['push', { utm: { source: 'app', medium: 'push' } }, ['Push', 'app']],
  ['notification', { utm: { source: 'jpush', medium: 'notification' } }, ['Push', 'jpush']],
  ['推送', { utm: { source: 'getui', medium: '推送' } }, ['Push', 'getui']],
  ['email', { utm: { source: 'newsletter', medium: 'email' } }, ['Email', 'newsletter']],
  ['e-mail', { utm: { source: 'crm', medium: 'e-mail' } }, ['Email', 'crm']],
  ['edm', { utm: { source: 'crm', medium: 'edm' } }, ['Email', 'crm']],
  ['email source only', { utm: { source: 'email' } }, ['Email', 'email']],
  ['newsletter source', { utm: { source: 'newsletter' } }, ['Email', 'newsletter']],
  // --- Referral ---
  [
    'news site',
    { ref: 'https://finance.sina.com.cn/a.html' },
    ['Referral', 'sina.com.cn', { medium: 'referral' }],
  ],
  ['forum', { ref: 'https://bbs.example-forum.net/t/1' }, ['Referral', 'example-forum.net']],
  ['partner site', { ref: 'https://partner.example.org/' }, ['Referral', 'example.org']],
  ['referral medium', { utm: { source: 'partner', medium: 'referral' } }, ['Referral', 'partner']],
  ['qq.com news is referral', { ref: 'https://new.qq.com/rain/a/1' }, ['Referral', 'qq.com']],
  // --- Internal ---
  ['self referral', { ref: 'https://www.example.cn/products' }, ['Internal', 'example.cn']],
  ['self referral from subdomain', { ref: 'https://m.example.cn/' }, ['Internal', 'example.cn']],
  ['internal medium', { utm: { source: 'homepage', medium: 'internal' } }, ['Internal', 'homepage']],
  ['test medium', { utm: { source: 'qa', medium: 'test' } }, ['Internal', 'qa']],
  [
    'self referral but with campaign is not internal',
    { ref: 'https://www.example.cn/a', utm: { source: 'baidu', medium: 'cpc' } },
    ['Paid Search', 'baidu'],
  ],
  // --- Direct ---
  ['nothing', {}, ['Direct', null, { medium: '(none)' }]],
  ['safari nothing', { ua: UA.safari }, ['Direct', null]],
  ['utm (direct)', { utm: { source: '(direct)', medium: '(none)' } }, ['Direct', '(direct)']],
  ['utm direct no medium', { utm: { source: 'direct' } }, ['Direct', 'direct']],
  // --- Unassigned ---
  [
    'unknown source, unknown medium',
    { utm: { source: 'partnerx', medium: 'qrcode' } },
    ['Unassigned', 'partnerx', { medium: 'qrcode' }],
  ],
  ['campaign only', { utm: { campaign: 'spring' } }, ['Unassigned', null]],
  ['unknown source only', { utm: { source: 'flyer' } }, ['Unassigned', 'flyer']],
  ['offline qrcode', { utm: { source: 'offline', medium: 'poster' } }, ['Unassigned', 'offline']],
  // --- Precedence ---
  [
    'utm beats referrer',
    { utm: { source: 'weibo', medium: 'social' }, ref: 'https://www.baidu.com/s?wd=x' },
    ['Organic Social', 'weibo', { keyword: 'x' }],
  ],
  [
    'click id beats organic referrer',
    { click: { gclid: 'g' }, ref: 'https://www.google.com/' },
    ['Paid Search', 'Google'],
  ],
  [
    'paid utm beats in-app UA',
    { utm: { source: 'toutiao', medium: 'feed' }, ua: UA.wechat },
    ['Paid Social', 'toutiao'],
  ],
  [
    'referrer beats in-app UA',
    { ref: 'https://www.zhihu.com/q/1', ua: UA.wechat },
    ['Organic Social', 'Zhihu'],
  ],
  [
    'first matching click id wins',
    { click: { bd_vid: 'b', gclid: 'g' } },
    ['Paid Search', 'Baidu', { click: 'bd_vid' }],
  ],
  ['unparsable referrer tells nothing', { ref: 'not a url' }, ['Direct', null]],
  [
    'android-app referrer from WeChat',
    { ref: 'android-app://com.tencent.mm/' },
    ['Organic Social', 'WeChat'],
  ],
  [
    'android-app referrer from the Baidu app',
    { ref: 'android-app://com.baidu.searchbox/' },
    ['Organic Search', 'Baidu'],
  ],
  [
    'android-app referrer from an unknown app',
    { ref: 'android-app://com.example.reader/' },
    ['Referral', 'com.example.reader'],
  ],
  ['360搜索 cpc', { utm: { source: '360搜索', medium: 'cpc' } }, ['Paid Search', '360搜索']],
  ['神马 cpc', { utm: { source: '神马', medium: 'cpc' } }, ['Paid Search', '神马']],
]
