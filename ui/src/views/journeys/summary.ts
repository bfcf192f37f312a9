// The one-line summaries on the node cards: "Delay · 2 days",
// "Message · email · welcome", "Split · trait push_token exists".

import { ENTRY_ID, KIND_LABEL, body, isObject, kindOf, type JNode, type Json, type JourneyDefinition } from './types'

const UNITS: Record<string, string> = { w: 'week', d: 'day', h: 'hour', m: 'minute', s: 'second' }

/** "2d" → "2 days", "1h" → "1 hour"; anything else ("1h30m") as it is. */
export function formatDuration(s: string): string {
  const m = /^(-?\d+)([wdhms])$/.exec(s)
  if (!m) return s
  const n = Number(m[1])
  const unit = UNITS[m[2] ?? ''] ?? ''
  return `${n} ${unit}${Math.abs(n) === 1 ? '' : 's'}`
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')
const lit = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v))

/** A short reading of a segment-language condition, for a card (not the full text form). */
export function conditionText(c: unknown): string {
  if (!isObject(c)) return typeof c === 'string' ? c : ''
  const [k, v] = Object.entries(c)[0] ?? []
  if (!k) return ''
  if ((k === 'and' || k === 'or') && Array.isArray(v)) return v.map((x) => conditionText(x)).join(` ${k} `)
  if (k === 'not') return `not ${conditionText(v)}`
  if (!isObject(v)) return k
  switch (k) {
    case 'trait':
      return [`trait ${str(v.path)} ${str(v.op)}`, v.value === undefined ? '' : lit(v.value)].join(' ').trim()
    case 'performed':
    case 'first_performed':
    case 'last_performed':
      return `${k} "${str(v.event)}"`
    case 'in_segment':
      return `in_segment ${str(v.match) || 'any'} ${JSON.stringify(v.ids ?? [])}`
    case 'random_bucket':
      return `random_bucket ${String(v.percent ?? '')}`
    default:
      return k
  }
}

function delayText(b: Json): string {
  if (typeof b.duration === 'string' && b.duration) return formatDuration(b.duration)
  if (isObject(b.until)) {
    const days = Array.isArray(b.until.days) && b.until.days.length ? ` (${b.until.days.join(', ')})` : ''
    return `until ${str(b.until.time)} local${days}`
  }
  if (isObject(b.until_trait)) return `until ${str(b.until_trait.path)} ${str(b.until_trait.offset)}`.trim()
  return ''
}

function waitText(b: Json): string {
  const branches = Array.isArray(b.branches) ? b.branches.filter(isObject) : []
  const what = branches
    .map((x) => (isObject(x.event) ? str(x.event.name) : x.segment ? `segment ${str(x.segment)}` : isObject(x.engagement) ? `${str(x.engagement.action)} ${str(x.engagement.node)}` : ''))
    .filter(Boolean)
    .join(' or ')
  const t = str(b.timeout)
  return [what, t && `up to ${formatDuration(t)}`].filter(Boolean).join(' · ')
}

function arms(list: unknown): string {
  return (Array.isArray(list) ? list.filter(isObject) : []).map((p) => `${str(p.id) || '?'} ${String(p.percent ?? '?')}%`).join(' / ')
}

/** The card line of a node: its kind and what it does. */
export function nodeSummary(node: JNode): string {
  const kind = kindOf(node)
  if (!kind) return 'Unknown step'
  const b = body(node)
  let detail = ''
  switch (kind) {
    case 'delay': detail = delayText(b); break
    case 'wait': detail = waitText(b); break
    case 'split': detail = conditionText(b.condition); break
    case 'multi_split': detail = `${Array.isArray(b.paths) ? b.paths.length : 0} paths + else`; break
    case 'random_split': detail = arms(b.paths); break
    case 'experiment': detail = [arms(b.variants), isObject(b.control) ? `control ${String(b.control.percent ?? '?')}%` : ''].filter(Boolean).join(' / '); break
    case 'message': detail = [str(b.channel), str(b.template)].filter(Boolean).join(' · '); break
    case 'update': detail = [...Object.keys(isObject(b.set) ? b.set : {}), ...Object.keys(isObject(b.increment) ? b.increment : {})].join(', ') || str(b.note); break
    case 'webhook': detail = str(b.channel) || str(b.url); break
    case 'jump': detail = `to ${str(b.journey)}`; break
    case 'exit': break
  }
  return detail ? `${KIND_LABEL[kind]} · ${detail}` : KIND_LABEL[kind]
}

/** The card line of the entry: what starts an instance. */
export function entrySummary(def: JourneyDefinition): string {
  const e = def.entry ?? {}
  if (isObject(e.event)) return `On event · ${str(e.event.name) || 'no event yet'}`
  if (isObject(e.segment)) return `On ${str(e.segment.on) === 'exit' ? 'leaving' : 'entering'} segment · ${str(e.segment.id)}`
  if (isObject(e.schedule)) return `On a schedule · ${str(e.schedule.segment)}`
  if (isObject(e.api)) return 'On an API call'
  return 'Not set'
}

/** What the canvas calls a node: its name, else its id. */
export function nodeTitle(def: JourneyDefinition, id: string): string {
  if (id === ENTRY_ID) return 'Entry'
  const n = def.nodes.find((x) => x.id === id)
  return n?.name || id
}
