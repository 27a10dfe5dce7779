import jsep from 'jsep'

/** A series of `metric_series`: a metric, and an event label (any when unset). */
export interface SeriesRef {
  metric: string
  event?: string | undefined
}

/**
 * What a rule computes from the window sums of its series: a count (`value`), a ratio
 * (`numerator` ÷ `denominator`) or an expression over named series. `volume` names the sum the
 * minimum-volume guard and the sampling noise are judged on.
 */
export interface Formula {
  kind: 'count' | 'ratio' | 'expression'
  vars: Record<string, SeriesRef>
  volume: string
  /** null where it is undefined (a division by zero). */
  compute(sums: Readonly<Record<string, number>>): number | null
}

export const countFormula = (series: SeriesRef): Formula => ({
  kind: 'count',
  vars: { value: series },
  volume: 'value',
  compute: (s) => s.value ?? 0,
})

export const ratioFormula = (numerator: SeriesRef, denominator: SeriesRef): Formula => ({
  kind: 'ratio',
  vars: { numerator, denominator },
  volume: 'denominator',
  compute: (s) => {
    const d = s.denominator ?? 0
    return d === 0 ? null : (s.numerator ?? 0) / d
  },
})

type Node = jsep.Expression
type Compiled = (s: Readonly<Record<string, number>>) => number | null

/**
 * An arithmetic expression over the named series — numbers, names, + − × ÷ and parentheses,
 * nothing else (no calls, no members: it is data from a file, never code). Parsed by jsep;
 * throws with the reason for anything else or for a name not among `vars`.
 */
export function expressionFormula(text: string, vars: Record<string, SeriesRef>, volume: string): Formula {
  const compile = (n: Node): Compiled => {
    if (n.type === 'Literal' && typeof n.value === 'number') {
      const v = n.value
      return () => v
    }
    if (n.type === 'Identifier') {
      const name = n.name as string
      if (!(name in vars)) throw new Error(`"${name}" is not one of the rule's vars`)
      return (s) => s[name] ?? 0
    }
    if (n.type === 'UnaryExpression' && n.operator === '-') {
      const arg = compile(n.argument as Node)
      return (s) => {
        const v = arg(s)
        return v === null ? null : -v
      }
    }
    if (n.type === 'BinaryExpression' && ['+', '-', '*', '/'].includes(n.operator as string)) {
      const [l, r, op] = [compile(n.left as Node), compile(n.right as Node), n.operator as string]
      return (s) => {
        const a = l(s)
        const b = r(s)
        if (a === null || b === null) return null
        if (op === '/') return b === 0 ? null : a / b
        return op === '+' ? a + b : op === '-' ? a - b : a * b
      }
    }
    throw new Error(`only numbers, series names, + - * / and parentheses are allowed (found ${n.type})`)
  }
  let parsed: Node
  try {
    parsed = jsep(text)
  } catch (err) {
    throw new Error(`cannot parse: ${(err as Error).message}`)
  }
  return { kind: 'expression', vars, volume, compute: compile(parsed) }
}
