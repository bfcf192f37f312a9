// The journey map's data (GET /v1/analytics/journey-map, docs/api.md) and
// the pure decisions the view makes on it: which journeys act on a cell, the
// segment a cell can be saved as, and how strongly a cell is shaded.
import type { AnalysisCall } from '../../api'
import type { Interval } from '../measurement/types'
import type { SegNode } from '../segments/types'

export interface MapCell {
  customers: number
  events: number
  /** Customers who moved to a later stage within the window after a touchpoint of the cell. */
  advanced: number
  advance_rate: number
  ci: Interval
}

export interface MapStage extends MapCell {
  name: string
}

export interface MapRow {
  channel: string
  touchpoint: string
  customers: number
  events: number
  /** One per stage, in the order of stages. */
  cells: MapCell[]
}

export interface MapTransition {
  from: string
  to: string
  customers: number
  forward: boolean
}

export interface MapJourney {
  id: string
  name: string
  status: string
  stages: string[]
  touchpoints: string[]
  channels: string[]
}

export interface JourneyMapResult {
  since?: string
  until?: string
  window: string
  customers: number
  stages: MapStage[]
  rows: MapRow[]
  omitted_rows: number
  transitions: MapTransition[]
  /** Stage name → the segment that defines it. */
  segments: Record<string, string>
  journeys: MapJourney[]
}

export interface CellCustomer {
  profile_id: string
  /** The name and email people know the customer by (pages of at most 200). */
  name?: string
  email?: string
  events: number
  first: string
  last: string
  advanced: boolean
}

export interface CellPage {
  total: number
  customers: CellCustomer[]
  next?: string
}

export interface MapForm {
  /** YYYY-MM-DD or empty (open). */
  since: string
  until: string
  window: string
}

export const MAP_DEFAULTS: MapForm = { since: '', until: '', window: '30d' }

/** A cell picked on the map: a touchpoint row (none: the whole stage) in a stage. */
export interface Pick {
  stage: string
  row?: { channel: string; touchpoint: string }
}

export type Moved = 'any' | 'yes' | 'no'

function span(f: MapForm): Record<string, string> {
  const q: Record<string, string> = { window: f.window }
  if (f.since) q.since = `${f.since}T00:00:00Z`
  if (f.until) q.until = `${f.until}T00:00:00Z`
  return q
}

/** The touchpoints a map shows at first (those with the most customers); "show all" asks for up to ALL_ROWS. */
export const FIRST_ROWS = 30
export const ALL_ROWS = 500

/** GET /v1/analytics/journey-map. */
export function mapCall(f: MapForm, rows = FIRST_ROWS): AnalysisCall {
  return { method: 'GET', path: '/v1/analytics/journey-map', query: { ...span(f), rows: String(rows) } }
}

/** GET /v1/analytics/journey-map/customers: a page of a cell's customers. */
export function cellCall(f: MapForm, pick: Pick, moved: Moved, after = ''): AnalysisCall {
  const q: Record<string, string> = { ...span(f), stage: pick.stage, limit: '25' }
  if (pick.row) {
    q.channel = pick.row.channel
    q.touchpoint = pick.row.touchpoint
  }
  if (moved !== 'any') q.advanced = moved === 'yes' ? 'true' : 'false'
  if (after) q.after = after
  return { method: 'GET', path: '/v1/analytics/journey-map/customers', query: q }
}

const CHANNELS: Record<string, string> = {
  web: 'Web',
  app: 'App',
  store: 'Store',
  call_center: 'Call center',
  email: 'Email',
  sms: 'SMS',
  push: 'Push',
  ads: 'Ads',
  direct_mail: 'Direct mail',
  social: 'Social',
  partner: 'Partner',
  vendor: 'Data vendor',
  task: 'Call-center task',
  inapp: 'In-app',
  webhook: 'Webhook',
}

/** A channel's name for people: "call_center" → "Call center". */
export function channelLabel(ch: string): string {
  return CHANNELS[ch] ?? ch.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())
}

/** Whether a touchpoint is one of Cairn's own messages (Message Sent/Opened/Clicked). */
export const isMessage = (touchpoint: string): boolean => /^Message (Sent|Opened|Clicked)$/.test(touchpoint)

/**
 * The live journeys that act on a cell: those a stage's segment (or a change
 * into the stage) enters, those the touchpoint enters, ends a wait of or
 * counts as a goal for, and, for Cairn's messages, those sending on the channel.
 */
export function journeysFor(js: MapJourney[], pick: Pick): MapJourney[] {
  const row = pick.row
  return js.filter(
    (j) =>
      j.stages.includes(pick.stage) ||
      (row !== undefined &&
        (j.touchpoints.includes(row.touchpoint) || (isMessage(row.touchpoint) && j.channels.includes(row.channel)))),
  )
}

/**
 * The live segment closest to a cell: customers now in the stage who did the
 * touchpoint through the channel within the window. Undefined when the
 * touchpoint is not an event a segment can test (page and screen views,
 * Cairn's messages).
 */
export function cellSegment(res: JourneyMapResult, pick: Pick): { name: string; description: string; definition: SegNode } | undefined {
  const row = pick.row
  if (!row || isMessage(row.touchpoint) || row.touchpoint === 'Page Viewed' || row.touchpoint === 'Screen Viewed') return undefined
  const window = { within: res.window }
  const parts: SegNode[] = []
  const seg = res.segments[pick.stage]
  if (seg) parts.push({ in_segment: { match: 'any', ids: [seg] } })
  parts.push({ performed: { event: row.touchpoint, window } })
  parts.push({ channel: { channels: [row.channel], window } })
  return {
    name: `${row.touchpoint} (${channelLabel(row.channel)}) in ${pick.stage}`,
    description:
      `From the journey map: customers now in the ${pick.stage} stage who did ${row.touchpoint} in the last ` +
      `${res.window} and engaged through ${channelLabel(row.channel)} in that time.`,
    definition: { and: parts },
  }
}

/** The largest customer count of any cell, for shading. */
export function maxCustomers(rows: MapRow[]): number {
  let m = 0
  for (const r of rows) for (const c of r.cells) m = Math.max(m, c.customers)
  return m
}

/**
 * The opacity of a cell's shade: 0 when empty, then growing with the square
 * root of its share of the largest cell, at most 0.55 so the dark text keeps
 * a contrast above 4.5:1.
 */
export function shade(customers: number, max: number): number {
  if (customers <= 0 || max <= 0) return 0
  return Math.round((0.06 + 0.49 * Math.sqrt(customers / max)) * 100) / 100
}

/** The rows grouped by channel, in the server's order. */
export function byChannel(rows: MapRow[]): { channel: string; rows: MapRow[] }[] {
  const groups: { channel: string; rows: MapRow[] }[] = []
  for (const r of rows) {
    const last = groups.at(-1)
    if (last && last.channel === r.channel) last.rows.push(r)
    else groups.push({ channel: r.channel, rows: [r] })
  }
  return groups
}
