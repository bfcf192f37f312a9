import { describe, expect, it } from 'vitest'
import { canonicalDuration, durationParts, formatList, formatScalar, parseList, parseScalar } from './literals'
import { valueFor, withOp } from './ops'

describe('literals', () => {
  it('reads numbers and booleans as such and quoted text as text, and shows them back', () => {
    expect(parseScalar('100')).toBe(100)
    expect(parseScalar('-2.5')).toBe(-2.5)
    expect(parseScalar('true')).toBe(true)
    expect(parseScalar('"100"')).toBe('100')
    expect(parseScalar(' gold ')).toBe('gold')
    expect(parseScalar('1e3x')).toBe('1e3x')
    for (const v of [100, 'gold', '100', 'true', true, '"x"', '']) expect(parseScalar(formatScalar(v))).toBe(v)
  })

  it('reads comma-separated lists, quoted items keeping their commas', () => {
    expect(parseList('gold, silver, 3')).toEqual(['gold', 'silver', 3])
    expect(parseList('"a, b", c,')).toEqual(['a, b', 'c'])
    expect(parseList(formatList(['a, b', 5, '5']))).toEqual(['a, b', 5, '5'])
  })

  it('prints durations in the largest exact unit up to days, and splits them for the form', () => {
    expect(canonicalDuration('2w')).toBe('14d')
    expect(canonicalDuration('1h30m')).toBe('90m')
    expect(canonicalDuration('48h')).toBe('2d')
    expect(canonicalDuration('45s')).toBe('45s')
    expect(canonicalDuration('soon')).toBe('soon')
    expect(durationParts('30d')).toEqual({ amount: '30', unit: 'd' })
    expect(durationParts('2w')).toEqual({ amount: '2', unit: 'w' })
    expect(durationParts('1h30m')).toEqual({ amount: '90', unit: 'm' })
    expect(durationParts('d')).toEqual({ amount: '', unit: 'd' })
    expect(durationParts(undefined)).toEqual({ amount: '', unit: 'd' })
  })

  it('keeps or converts the value when the operator changes, tz only for day_of_year', () => {
    expect(valueFor('in', 'gold')).toEqual(['gold'])
    expect(valueFor('gt', 'gold')).toBe(0)
    expect(valueFor('within_last', 5)).toBe('30d')
    expect(valueFor('exists', 5)).toBeUndefined()
    expect(withOp({ path: 'plan', op: 'equals', value: 'pro' }, 'exists')).toEqual({ path: 'plan', op: 'exists' })
    expect(withOp({ op: 'day_of_year', tz: 'UTC' }, 'within_last')).toEqual({ op: 'within_last', value: '30d' })
  })
})
