import { describe, expect, it } from 'vitest'
import { inputPosition, parseInputPosition } from './output-tail.ts'

describe('input positions on output records', () => {
  it('reads back what it writes, and nothing from a record without one', () => {
    expect(parseInputPosition(inputPosition(3, 12345678901234n))).toEqual({
      partition: 3,
      offset: 12345678901234n,
    })
    expect(parseInputPosition('0:0')).toEqual({ partition: 0, offset: 0n })
    expect(parseInputPosition(undefined)).toBeUndefined()
    expect(parseInputPosition('17')).toBeUndefined()
  })
})
