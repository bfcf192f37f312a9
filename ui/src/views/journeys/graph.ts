// A definition as a graph: the entry and every node, and an edge for each
// filled branch field, labelled with the branch (yes/no, arm, timeout…).
// Every outgoing field is a "slot" named by its path in the server's
// notation, which is also the id of the handle the canvas draws for it.

import { formatDuration } from './summary'
import { ENTRY_ID, isObject, kindOf, type JNode, type Json, type JourneyDefinition, type NodeKind } from './types'

export interface Slot {
  /** "next", "split.yes", "wait.branches[0].next", … ("next" for the entry means entry.next). */
  path: string
  label: string
  target: string
}

export interface GraphNode {
  id: string
  kind: NodeKind | 'entry' | ''
  node?: JNode
}

export interface GraphEdge {
  id: string
  source: string
  target: string
  slot: string
  label: string
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : [])

function branchLabel(b: Json): string {
  if (isObject(b.event)) return str(b.event.name) || 'event'
  if (typeof b.segment === 'string') return `in ${b.segment || 'segment'}`
  if (isObject(b.engagement)) return `${str(b.engagement.action) || 'engaged'} ${str(b.engagement.node)}`.trim()
  return 'branch'
}

const pct = (p: Json) => (typeof p.percent === 'number' ? ` · ${p.percent}%` : '')

/** The outgoing fields of a node, filled or not, in the server's order. */
export function slots(node: JNode): Slot[] {
  const kind = kindOf(node)
  const b = kind && isObject(node[kind]) ? (node[kind] as Json) : {}
  switch (kind) {
    case 'wait': {
      const out = arr(b.branches).map((br, i) => ({
        path: `wait.branches[${i}].next`,
        label: branchLabel(br),
        target: str(br.next),
      }))
      const t = str(b.timeout)
      return [...out, { path: 'wait.timeout_next', label: t ? `timeout ${formatDuration(t)}` : 'timeout', target: str(b.timeout_next) }]
    }
    case 'split':
      return [
        { path: 'split.yes', label: 'yes', target: str(b.yes) },
        { path: 'split.no', label: 'no', target: str(b.no) },
      ]
    case 'multi_split':
      return [
        ...arr(b.paths).map((p, i) => ({ path: `multi_split.paths[${i}].next`, label: `path ${i + 1}`, target: str(p.next) })),
        { path: 'multi_split.else', label: 'else', target: str(b.else) },
      ]
    case 'random_split':
      return arr(b.paths).map((p, i) => ({
        path: `random_split.paths[${i}].next`,
        label: `${str(p.id) || `path ${i + 1}`}${pct(p)}`,
        target: str(p.next),
      }))
    case 'experiment': {
      const out = arr(b.variants).map((p, i) => ({
        path: `experiment.variants[${i}].next`,
        label: `${str(p.id) || `variant ${i + 1}`}${pct(p)}`,
        target: str(p.next),
      }))
      if (isObject(b.control)) out.push({ path: 'experiment.control.next', label: `control${pct(b.control)}`, target: str(b.control.next) })
      return out
    }
    case 'exit':
    case 'jump':
      return []
    default:
      return [{ path: 'next', label: '', target: str(node.next) }]
  }
}

/** The entry's one slot. */
export function entrySlot(def: JourneyDefinition): Slot {
  return { path: 'next', label: '', target: str(def.entry?.next) }
}

/** The slots of any canvas node (the entry included). */
export function slotsOf(def: JourneyDefinition, id: string): Slot[] {
  if (id === ENTRY_ID) return [entrySlot(def)]
  const n = def.nodes.find((x) => x.id === id)
  return n ? slots(n) : []
}

/** The entry and the nodes, and an edge for every slot whose target exists. */
export function toGraph(def: JourneyDefinition): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const ids = new Set(def.nodes.map((n) => n.id))
  const nodes: GraphNode[] = [{ id: ENTRY_ID, kind: 'entry' }, ...def.nodes.map((n) => ({ id: n.id, kind: kindOf(n), node: n }))]
  const edges: GraphEdge[] = []
  const add = (source: string, s: Slot) => {
    if (s.target && ids.has(s.target)) edges.push({ id: `${source}→${s.path}`, source, target: s.target, slot: s.path, label: s.label })
  }
  add(ENTRY_ID, entrySlot(def))
  for (const n of def.nodes) for (const s of slots(n)) add(n.id, s)
  return { nodes, edges }
}
