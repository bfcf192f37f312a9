// Validation problems (path, node, message, hint) placed on the canvas: a
// problem belongs to the node it names, else to the node its path starts
// in (nodes[3]…), to the entry (entry…), or to the journey as a whole
// (name, goals, exit criteria, settings), which the journey panel shows.

import { ENTRY_ID, type JourneyDefinition, type Problem } from './types'

/** Where the journey-level problems go. */
export const JOURNEY = ''

/** The canvas id a problem belongs to: a node id, ENTRY_ID or JOURNEY. */
export function problemTarget(def: JourneyDefinition, p: Problem): string {
  if (p.node && def.nodes.some((n) => n.id === p.node)) return p.node
  const path = p.path ?? ''
  const m = /^nodes\[(\d+)\]/.exec(path)
  if (m) return def.nodes[Number(m[1])]?.id ?? JOURNEY
  if (path === 'entry' || path.startsWith('entry.')) return ENTRY_ID
  return JOURNEY
}

/** The problems grouped by canvas id (see problemTarget). */
export function problemsByNode(def: JourneyDefinition, problems: Problem[]): Map<string, Problem[]> {
  const out = new Map<string, Problem[]>()
  for (const p of problems) {
    const id = problemTarget(def, p)
    out.set(id, [...(out.get(id) ?? []), p])
  }
  return out
}

/** The field a problem is about, relative to its node ("wait.timeout_next"); '' for the node itself. */
export function problemField(p: Problem): string {
  const path = p.path ?? ''
  return path.replace(/^nodes\[\d+\]\.?/, '').replace(/^entry\.?/, '')
}

/** A problem in words: the message, then how to fix it. */
export function problemText(p: Problem): string {
  return p.hint ? `${p.message} — ${p.hint}` : p.message
}
