/**
 * The live terminal view of `npm start`, as text: each stage's events per second and lag, the
 * DLQ with its latest reason, today's registrations by channel group and how many of those
 * registrants invested, the alerts as they fire and resolve, the simulator's progress and the
 * addresses to open. Pure: the same state renders the same lines (the screen, or one plain line
 * for a pipe).
 */
export interface ViewState {
  at: Date
  stages: Array<{ name: string; perSecond: number | null; lag: number | null }>
  dlq: { total: number | null; latestReason: string | null; latestAt: string | null }
  today: Array<{ group: string; registrations: number; firstInvestments: number }>
  alerts: Array<{ at: string; rule: string; series: string; state: string; explanation: string }>
  simulator: { phase: string; sent: number; failed: number; clock: string } | null
  addresses: Array<[string, string]>
  /** A problem reading the numbers (shown, not thrown: the view keeps going). */
  problem: string | null
}

const n = (v: number | null) => (v === null ? '–' : Math.round(v).toLocaleString('en'))
const pad = (s: string, w: number) => (s.length >= w ? `${s.slice(0, w - 1)}…` : s.padEnd(w))
const rpad = (s: string, w: number) => s.padStart(w)

/** The screen: at most `width` columns a line. */
export function renderView(s: ViewState, width = 100): string[] {
  const cut = (line: string) => (line.length > width ? `${line.slice(0, width - 1)}…` : line)
  const lines = [
    `opstream — ${s.at.toISOString().slice(0, 19).replace('T', ' ')} UTC${s.problem ? `   ⚠ ${s.problem}` : ''}`,
    '',
    `${pad('stage', 28)}${rpad('events/s', 10)}${rpad('lag', 10)}`,
    ...s.stages.map((st) => `${pad(st.name, 28)}${rpad(n(st.perSecond), 10)}${rpad(n(st.lag), 10)}`),
    `DLQ: ${n(s.dlq.total)} messages${s.dlq.latestReason ? ` — latest ${s.dlq.latestAt?.slice(11, 19) ?? ''}: ${s.dlq.latestReason}` : ''}`,
    '',
    `today (UTC) by channel group        ${rpad('registrations', 14)}${rpad('invested', 14)}${rpad('conversion', 12)}`,
    ...(s.today.length === 0
      ? ['  (no registrations yet)']
      : s.today.map(
          (t) =>
            `  ${pad(t.group, 34)}${rpad(n(t.registrations), 14)}${rpad(n(t.firstInvestments), 14)}${rpad(
              t.registrations > 0 ? `${((t.firstInvestments / t.registrations) * 100).toFixed(1)}%` : '–',
              12,
            )}`,
        )),
    '',
    'alerts',
    ...(s.alerts.length === 0
      ? ['  (none)']
      : s.alerts.map(
          (a) =>
            `  ${a.at.slice(5, 16)}  ${pad(a.state.toUpperCase(), 9)}${a.rule} ${a.series}${a.explanation ? ` — ${a.explanation}` : ''}`,
        )),
    '',
    s.simulator
      ? `simulator: ${s.simulator.phase}, ${n(s.simulator.sent)} sent${s.simulator.failed > 0 ? `, ${n(s.simulator.failed)} FAILED` : ''}, at ${s.simulator.clock}`
      : 'simulator: off (--no-demo)',
    ...s.addresses.map(([label, url]) => `${pad(label, 14)}${url}`),
    '',
    'Ctrl-C stops everything',
  ]
  return lines.map(cut)
}

/** One plain line for a log or a pipe: the same numbers, no screen. */
export function renderLine(s: ViewState): string {
  const stages = s.stages.map((st) => `${st.name} ${n(st.perSecond)}/s lag ${n(st.lag)}`).join('; ')
  const reg = s.today.reduce((x, t) => x + t.registrations, 0)
  const first = s.today.reduce((x, t) => x + t.firstInvestments, 0)
  const firing = s.alerts.filter((a) => a.state === 'firing').map((a) => `${a.rule} ${a.series}`)
  return (
    `[opstream] ${s.at.toISOString().slice(11, 19)} ${stages}; DLQ ${n(s.dlq.total)}; today ${n(reg)} registrations, ` +
    `${n(first)} of them invested; firing: ${firing.length > 0 ? firing.join(', ') : 'none'}` +
    (s.simulator ? `; simulator ${s.simulator.phase} ${n(s.simulator.sent)} sent` : '') +
    (s.problem ? `; ${s.problem}` : '')
  )
}
