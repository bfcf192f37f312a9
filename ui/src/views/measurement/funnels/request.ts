import type { AnalysisCall } from '../../../api'
import { compact, dayEnd, dayStart, NO_FILTER, whereOf, type FilterForm } from '../requestParts'

export interface StepForm {
  event: string
  filter: FilterForm
}

export type BreakdownBy = 'none' | 'channel' | 'source' | 'stage' | 'property' | 'segment'

export interface FunnelForm {
  steps: StepForm[]
  window: string
  order: 'strict' | 'any'
  breakdown: BreakdownBy
  /** The property path or segment id of a property or segment breakdown. */
  breakdownArg: string
  since: string
  until: string
  compare: boolean
  compareSince: string
  compareUntil: string
}

export const FUNNEL_DEFAULTS: FunnelForm = {
  steps: ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'].map((event) => ({
    event,
    filter: NO_FILTER,
  })),
  window: '7d',
  order: 'strict',
  breakdown: 'none',
  breakdownArg: '',
  since: '',
  until: '',
  compare: false,
  compareSince: '',
  compareUntil: '',
}

/** The drop-off to save as a segment: who did step − 1 and not step (2…n). */
export interface SaveDropoff {
  step: number
  name: string
}

/** The breakdown as the API spells it: channel, source, stage, property:PATH, segment:ID; undefined for none. */
export function breakdownOf(f: FunnelForm): string | undefined {
  switch (f.breakdown) {
    case 'none':
      return undefined
    case 'property':
    case 'segment':
      return `${f.breakdown}:${f.breakdownArg.trim()}`
    default:
      return f.breakdown
  }
}

/** The body of POST /v1/analytics/funnels for the form (dates are whole days, UTC). */
export function funnelBody(f: FunnelForm, save?: SaveDropoff): Record<string, unknown> {
  return compact({
    steps: f.steps.map((s) => compact({ event: s.event.trim(), where: whereOf(s.filter) })),
    window: f.window.trim(),
    order: f.order,
    breakdown: breakdownOf(f),
    since: dayStart(f.since),
    until: dayEnd(f.until),
    compare: f.compare ? compact({ since: dayStart(f.compareSince), until: dayEnd(f.compareUntil) }) : undefined,
    save_dropoff: save ? { step: save.step, name: save.name.trim() } : undefined,
  })
}

export function funnelCall(f: FunnelForm, save?: SaveDropoff): AnalysisCall {
  return { method: 'POST', path: '/v1/analytics/funnels', body: funnelBody(f, save) }
}

/** The names of the form's controls, for routing the API's field errors. */
export function funnelFields(f: FunnelForm): string[] {
  return [...f.steps.map((_, i) => `steps[${i}]`), 'window', 'order', 'breakdown', 'since', 'until', 'compare']
}
