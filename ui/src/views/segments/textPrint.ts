// The text form of a definition, printed the way the server prints it
// (internal/segment/text_print.go), for the builder's side-by-side view
// while the preview does not return the canonical text.

import { canonicalDuration } from './literals'
import { OPERAND } from './ops'
import type { Count, Filter, Literal, SegNode, Test, Window } from './types'

const SYMBOLS: Record<string, string> = { equals: '=', not_equals: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' }

/** A JSON string without HTML escaping, as Go's encoder writes it (U+2028/9 escaped). */
export function quote(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_.$-]*$/

/** A path bare when it is an identifier (and not the keyword "of"), else quoted. */
export function pathText(p: string): string {
  return IDENT.test(p) && p !== 'of' ? p : quote(p)
}

/** A time as the server stores it: RFC 3339 in UTC; a date is its midnight UTC. */
export function canonicalTime(s: string): string {
  if (/^\d{4}-\d\d-\d\d$/.test(s)) return `${s}T00:00:00Z`
  const t = Date.parse(s)
  if (!/^\d{4}-\d\d-\d\dT/.test(s) || Number.isNaN(t)) return s
  return new Date(t).toISOString().replace(/\.?0*Z$/, 'Z')
}

function value(v: Literal, op: string): string {
  const kind = OPERAND[op]
  if (Array.isArray(v)) return `[${v.map((x) => value(x, op)).join(', ')}]`
  if (typeof v === 'string') {
    if (kind === 'duration') return canonicalDuration(v)
    if (kind === 'time') return quote(canonicalTime(v))
    return quote(v)
  }
  return String(v)
}

function test(t: Test): string {
  let s = ` ${SYMBOLS[t.op] ?? t.op}`
  if (t.value !== undefined) {
    if (t.op === 'between' && Array.isArray(t.value)) {
      s += ` ${value(t.value[0] ?? 0, t.op)} and ${value(t.value[1] ?? 0, t.op)}`
    } else s += ` ${value(t.value, t.op)}`
  }
  if (t.tz) s += ` tz ${quote(t.tz)}`
  return s
}

function filters(keyword: string, fs: Filter[] | undefined): string {
  if (!fs?.length) return ''
  const parts = fs.map((f) => {
    let p: string
    if (f.context) p = pathText(`context.${f.context}`)
    else if (/^(context|properties)\./.test(f.property ?? '')) p = pathText(`properties.${f.property}`)
    else p = pathText(f.property ?? '')
    return p + test(f)
  })
  return ` ${keyword} ${parts.join(', ')}`
}

function count(c: Count | undefined): string {
  return c ? ` count ${SYMBOLS[c.op] ?? c.op} ${c.value}` : ''
}

function window(w: Window | undefined): string {
  if (!w) return ''
  if (w.within) return ` within ${canonicalDuration(w.within)}`
  if (w.from_ago) return ` from ${canonicalDuration(w.from_ago)} ago to ${canonicalDuration(w.to_ago ?? '')} ago`
  let s = ''
  if (w.after) s += ` after ${quote(canonicalTime(w.after))}`
  if (w.before) s += ` before ${quote(canonicalTime(w.before))}`
  return s
}

const strings = (list: string[]) => `[${list.map(quote).join(', ')}]`

/** The text form of n; grouped says it is an operand of and/or/not (nested groups get parentheses). */
export function printText(n: SegNode, grouped = false): string {
  if ('and' in n || 'or' in n) {
    const [kids, word] = 'and' in n ? [n.and, ' and '] : [n.or, ' or ']
    if (kids.length === 1) return printText(kids[0] as SegNode, grouped)
    const body = kids.map((k) => printText(k, true)).join(word)
    return grouped ? `(${body})` : body
  }
  if ('not' in n) return `not ${printText(n.not, true)}`
  if ('everyone' in n) return 'everyone'
  if ('trait' in n) return `trait ${pathText(n.trait.path)}${test(n.trait)}`
  if ('performed' in n) {
    const c = n.performed
    return `performed ${quote(c.event)}${filters('where', c.where)}${count(c.count)}${window(c.window)}`
  }
  if ('first_performed' in n || 'last_performed' in n) {
    const [kw, c] = 'first_performed' in n ? ['first_performed', n.first_performed] : ['last_performed', n.last_performed]
    const time = c.time ? ` time${test(c.time)}` : ''
    return `${kw} ${quote(c.event)}${filters('where', c.where)}${filters('has', c.has)}${time}`
  }
  if ('sequence' in n) {
    const steps = n.sequence.steps.map((s) => `${s.not ? 'not ' : ''}${quote(s.event)}${filters('where', s.where)}`)
    const within = n.sequence.within ? ` within ${canonicalDuration(n.sequence.within)}` : ''
    return `sequence ${steps.join(' then ')}${within}`
  }
  if ('aggregate' in n) {
    const c = n.aggregate
    const prop = c.property ? ` ${pathText(c.property)}` : ''
    return `aggregate ${c.fn}${prop} of ${quote(c.event)}${filters('where', c.where)}${window(c.window)}${test(c)}`
  }
  if ('in_segment' in n) return `in_segment ${n.in_segment.match} ${strings(n.in_segment.ids)}`
  if ('message' in n) {
    const c = n.message
    const opt = (['channel', 'template', 'journey'] as const).map((k) => (c[k] ? ` ${k} ${quote(c[k] as string)}` : '')).join('')
    return `message ${c.event}${opt}${count(c.count)}${window(c.window)}`
  }
  if ('subscription' in n) return `subscription ${quote(n.subscription.group)} ${n.subscription.state}`
  if ('random_bucket' in n) {
    const salt = n.random_bucket.salt ? ` salt ${quote(n.random_bucket.salt)}` : ''
    return `random_bucket ${n.random_bucket.percent}${salt}`
  }
  const c = n.channel
  const chans = c.channels?.length ? ` channels ${strings(c.channels)}` : ''
  const srcs = c.sources?.length ? ` sources ${strings(c.sources)}` : ''
  return `channel${chans}${srcs}${window(c.window)}`
}
