// The live overlay: per-node numbers for the canvas from the journey stats
// (customers there now, sends by status) and the journey report (steps
// entered and goals converted, read from the timeline).

import type { JourneyStatsFull, NodeReportCounts } from './journeysApi'
import { ENTRY_ID } from './types'

export interface NodeCounts {
  entered?: number
  waiting?: number
  sent?: number
  converted?: number
}

/** The numbers to draw on each card, by canvas id (the entry shows how many entered the journey). */
export function nodeCounts(stats: JourneyStatsFull | undefined, report: NodeReportCounts[] | undefined): Map<string, NodeCounts> {
  const out = new Map<string, NodeCounts>()
  const get = (id: string) => {
    let c = out.get(id)
    if (!c) out.set(id, (c = {}))
    return c
  }
  for (const r of report ?? []) {
    const c = get(r.node)
    c.entered = r.entered
    c.waiting = r.waiting
    if (r.sent) c.sent = r.sent
    if (r.converted) c.converted = r.converted
  }
  for (const n of stats?.nodes ?? []) {
    const c = get(n.node)
    c.waiting = n.active
    if (n.sent || c.sent !== undefined) c.sent = n.sent
  }
  if (stats) get(ENTRY_ID).entered = stats.entered
  if (stats?.goals) get(ENTRY_ID).converted = stats.goals
  return out
}
