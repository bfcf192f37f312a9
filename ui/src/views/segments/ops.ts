// The operators of the condition language (docs/segments.md, "Operators"):
// what literal each takes, the words the builder shows, and the sets allowed
// in each place (internal/segment/ops.go).

import type { Literal } from './types'

export type Operand = 'none' | 'scalar' | 'number' | 'string' | 'regex' | 'list' | 'range' | 'time' | 'duration'

export const OPERAND: Record<string, Operand> = {
  equals: 'scalar',
  not_equals: 'scalar',
  gt: 'number',
  gte: 'number',
  lt: 'number',
  lte: 'number',
  between: 'range',
  in: 'list',
  not_in: 'list',
  contains: 'scalar',
  not_contains: 'scalar',
  starts_with: 'string',
  ends_with: 'string',
  matches: 'regex',
  exists: 'none',
  not_exists: 'none',
  before: 'time',
  after: 'time',
  within_last: 'duration',
  within_next: 'duration',
  before_last: 'duration',
  after_next: 'duration',
  day_of_year: 'none',
}

export const OP_LABEL: Record<string, string> = {
  equals: 'is (=)',
  not_equals: 'is not (≠)',
  gt: 'greater than (>)',
  gte: 'at least (≥)',
  lt: 'less than (<)',
  lte: 'at most (≤)',
  between: 'between',
  in: 'is one of',
  not_in: 'is none of',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  ends_with: 'ends with',
  matches: 'matches pattern',
  exists: 'is set',
  not_exists: 'is not set',
  before: 'is before (date)',
  after: 'is on or after (date)',
  within_last: 'is within the last',
  within_next: 'is within the next',
  before_last: 'is longer ago than',
  after_next: 'is further ahead than',
  day_of_year: 'is today’s date (anniversary)',
}

export const ALL_OPS = Object.keys(OPERAND)
export const DATE_OPS = ['before', 'after', 'within_last', 'within_next', 'before_last', 'after_next', 'day_of_year']
export const COUNT_OPS = ['equals', 'not_equals', 'gt', 'gte', 'lt', 'lte']
export const NUMERIC_AGG_OPS = [...COUNT_OPS, 'between', 'in', 'not_in']
export const VALUE_AGG_OPS = [...NUMERIC_AGG_OPS, 'contains', 'not_contains', 'starts_with', 'ends_with', 'matches']

export const AGG_FNS = ['count', 'sum', 'avg', 'min', 'max', 'distinct_count', 'most_frequent', 'first', 'last']
export const AGG_LABEL: Record<string, string> = {
  count: 'number of events',
  sum: 'sum of',
  avg: 'average of',
  min: 'smallest',
  max: 'largest',
  distinct_count: 'number of distinct',
  most_frequent: 'most frequent',
  first: 'first',
  last: 'last',
}
/** Functions that yield a number (compared with numbers only). */
export const NUMERIC_FNS = ['count', 'sum', 'avg', 'min', 'max', 'distinct_count']

export const MESSAGE_EVENTS = ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'dropped', 'spam', 'failed', 'skipped', 'unsubscribed']
export const SUBSCRIPTION_STATES = ['subscribed', 'unsubscribed']
export const MATCHES = [
  ['any', 'in any of'],
  ['all', 'in all of'],
  ['none', 'in none of'],
] as const

/** The literal a test keeps when its operator changes: the old one when it fits, else a starting value. */
export function valueFor(op: string, old: Literal | undefined): Literal | undefined {
  const isScalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v)
  switch (OPERAND[op]) {
    case 'none':
      return undefined
    case 'scalar':
      return isScalar(old) ? old : ''
    case 'number':
      return typeof old === 'number' ? old : 0
    case 'string':
    case 'regex':
      return typeof old === 'string' ? old : ''
    case 'list':
      return Array.isArray(old) ? old : isScalar(old) && old !== '' ? [old as string] : []
    case 'range':
      return Array.isArray(old) && old.length === 2 ? old : [0, 100]
    case 'time':
      return typeof old === 'string' && /^\d{4}-\d\d-\d\d/.test(old) ? old : ''
    case 'duration':
      return typeof old === 'string' && /^\d/.test(old) ? old : '30d'
    default:
      return old
  }
}

/** A test with its operator changed: the value converted, tz only for day_of_year. */
export function withOp<T extends { op: string; value?: Literal; tz?: string }>(t: T, op: string): T {
  const next: T = { ...t, op }
  const value = valueFor(op, t.value)
  if (value === undefined) delete next.value
  else next.value = value
  if (op !== 'day_of_year') delete next.tz
  return next
}
