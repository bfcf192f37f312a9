import { describe, expect, it } from 'vitest'
import { TextSyntaxError } from './textLex'
import { GO_CASES } from './textCases.fixture'
import { parseText } from './textParse'
import { printText } from './textPrint'

describe('text form', () => {
  it('prints the canonical JSON as the server prints its text', () => {
    for (const c of GO_CASES) expect(printText(c.json), c.text).toBe(c.text)
  })

  it('parses the canonical text into the canonical JSON', () => {
    for (const c of GO_CASES) expect(parseText(c.text), c.text).toEqual(c.json)
  })

  it('prints a group of one as its member and normalizes durations and dates as the server does', () => {
    expect(printText({ and: [{ performed: { event: 'A', window: { within: '2w' } } }] })).toBe('performed "A" within 14d')
    expect(printText({ trait: { path: 'd', op: 'after', value: '2026-01-01' } })).toBe('trait d after "2026-01-01T00:00:00Z"')
    expect(printText({ trait: { path: 'of', op: 'exists' } })).toBe('trait "of" exists')
    expect(printText({ and: [{ not: { or: [{ everyone: true }, { random_bucket: { percent: 5 } }] } }, { everyone: true }] })).toBe(
      'not (everyone or random_bucket 5) and everyone',
    )
  })

  it('reads the word forms of operators and the text form’s field rules', () => {
    expect(parseText('performed "A" where x equals 1 count gte 1 within 2w')).toEqual({
      performed: { event: 'A', where: [{ property: 'x', op: 'equals', value: 1 }], count: { op: 'gte', value: 1 }, window: { within: '2w' } },
    })
    expect(parseText('trait a = 1 and\n  (trait b = 2)')).toEqual({
      and: [{ trait: { path: 'a', op: 'equals', value: 1 } }, { trait: { path: 'b', op: 'equals', value: 2 } }],
    })
  })

  it('reports syntax errors with their line and column', () => {
    const cases: Array<[string, string]> = [
      ['', 'line 1, column 1: expected a condition, found end of input'],
      ['trait a = ', 'line 1, column 11: expected a value'],
      ['trait a = "x', 'line 1, column 11: unterminated string'],
      ['trait a = 1 trait b = 2', 'line 1, column 13: unexpected "trait"'],
      ['trait a = 1 and\n  bogus', 'line 2, column 3: unknown condition "bogus"'],
      ['(trait a = 1', 'line 1, column 13: expected ")"'],
      ['trait a ~ 1', 'line 1, column 9: unexpected character'],
      ['performed Order', 'line 1, column 11: expected the event name as a quoted string'],
      ['trait a = 01', 'line 1, column 11: invalid number'],
      ['trait a in [[1]]', 'line 1, column 13: expected a value'],
    ]
    for (const [src, msg] of cases) {
      let err: unknown
      try {
        parseText(src)
      } catch (e) {
        err = e
      }
      expect(err, src).toBeInstanceOf(TextSyntaxError)
      expect((err as Error).message, src).toContain(msg)
    }
  })
})
