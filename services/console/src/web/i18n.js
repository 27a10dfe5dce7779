// The console's two languages. Chinese when the browser asks for it (or it was chosen), else English.
const TEXTS = {
  zh: {
    console: '运营控制台',
    password: '密码',
    sign_in: '登录',
    sign_out: '退出',
    wrong_password: '密码错误',
    too_many: '尝试次数过多，请一分钟后再试',
    language: 'English',
    overview: '概览',
    channels: '渠道',
    day: '日期',
    from: '开始',
    to: '结束',
    group: '渠道组',
    platform: '平台',
    all: '全部',
    refresh: '刷新',
    updated: '更新于',
    csv: '下载 CSV',
    no_data: '暂无数据',
    error: '数据读取失败',
    new_users: '新增用户',
    dau: '日活跃 (DAU)',
    registrations: '注册',
    card_bindings: '绑卡',
    first_investments: '首投',
    gmv: '交易额 (GMV)',
    conversion: '注册→首投转化率',
    vs_previous_day: '较前一日',
    vs_week_before: '较上周同日',
    this_day: '当日',
    previous_day: '前一日',
    week_before: '上周同日',
    events_per_minute: '近 60 分钟每分钟事件数',
    minute: '分钟',
    events: '事件数',
    kpi_compare: '关键指标对比',
    economics: '渠道经济',
    cost_code: '渠道代码',
    acquisition_group: '渠道组',
    acquisition_source: '来源',
    invested_amount: '投资额',
    cost: '成本',
    cac: '获客成本 (CAC)',
    roi: 'ROI (投资额÷成本)',
    filter_codes: '筛选渠道代码…',
    trend: '每日注册趋势（前 8 个渠道）',
    ltv_cac: '30 日 LTV ÷ CAC（按渠道组）',
    cohort_users: '注册用户',
    ltv30: '30 日 LTV',
    ltv_to_cac30: '30 日 LTV÷CAC',
  },
  en: {
    console: 'operations console',
    password: 'Password',
    sign_in: 'Sign in',
    sign_out: 'Sign out',
    wrong_password: 'Wrong password',
    too_many: 'Too many attempts; wait a minute',
    language: '中文',
    overview: 'Overview',
    channels: 'Channels',
    day: 'Day',
    from: 'From',
    to: 'To',
    group: 'Channel group',
    platform: 'Platform',
    all: 'All',
    refresh: 'Refresh',
    updated: 'Updated',
    csv: 'Download CSV',
    no_data: 'No data',
    error: 'The numbers could not be read',
    new_users: 'New users',
    dau: 'Active (DAU)',
    registrations: 'Registrations',
    card_bindings: 'Card bindings',
    first_investments: 'First investments',
    gmv: 'GMV',
    conversion: 'Registration → first investment',
    vs_previous_day: 'vs day before',
    vs_week_before: 'vs week before',
    this_day: 'Day',
    previous_day: 'Day before',
    week_before: 'Week before',
    events_per_minute: 'Events per minute, last 60 minutes',
    minute: 'Minute',
    events: 'Events',
    kpi_compare: 'Key figures compared',
    economics: 'Channel economics',
    cost_code: 'Cost code',
    acquisition_group: 'Group',
    acquisition_source: 'Source',
    invested_amount: 'Invested',
    cost: 'Cost',
    cac: 'CAC',
    roi: 'ROI (invested ÷ cost)',
    filter_codes: 'Filter cost codes…',
    trend: 'Registrations per day (top 8 codes)',
    ltv_cac: '30-day LTV ÷ CAC by channel group',
    cohort_users: 'Registered users',
    ltv30: '30-day LTV',
    ltv_to_cac30: '30-day LTV ÷ CAC',
  },
}

export function language() {
  const chosen = localStorage.getItem('opstream.lang')
  if (chosen === 'zh' || chosen === 'en') return chosen
  return (navigator.languages ?? [navigator.language]).some((l) => l.toLowerCase().startsWith('zh'))
    ? 'zh'
    : 'en'
}

export function t(key) {
  return TEXTS[language()][key] ?? key
}

export function toggleLanguage() {
  localStorage.setItem('opstream.lang', language() === 'zh' ? 'en' : 'zh')
}

/** Fills every [data-t] element, and the language switch's own label. */
export function applyLanguage(root = document) {
  document.documentElement.lang = language() === 'zh' ? 'zh-CN' : 'en'
  for (const el of root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t)
  for (const el of root.querySelectorAll('[data-t-placeholder]')) el.placeholder = t(el.dataset.tPlaceholder)
  const lang = document.getElementById('lang')
  if (lang) lang.textContent = t('language')
}
