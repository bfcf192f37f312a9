// The React Flow nodes and edges of a definition: a card per step at its
// layered position, an arrow per connected branch with the branch's label.

import { MarkerType, type Edge } from '@xyflow/react'
import type { CardNode } from './NodeCard'
import { entrySlot, slots, type GraphEdge, type GraphNode } from './graph'
import { layeredLayout } from './layout'
import type { NodeCounts } from './overlay'
import { entrySummary, nodeSummary } from './summary'
import { ENTRY_ID, type JourneyDefinition, type Problem } from './types'

export interface CardInputs {
  def: JourneyDefinition
  graph: { nodes: GraphNode[]; edges: GraphEdge[] }
  selected: string | null
  problems: Map<string, Problem[]>
  counts: Map<string, NodeCounts>
}

export function buildCards({ def, graph, selected, problems, counts }: CardInputs): CardNode[] {
  const at = layeredLayout(
    graph.nodes.map((n) => n.id),
    graph.edges,
  )
  return graph.nodes.map((g) => {
    const title = g.id === ENTRY_ID ? 'Entry' : g.node?.name || g.id
    const summary = g.id === ENTRY_ID ? entrySummary(def) : g.node ? nodeSummary(g.node) : ''
    const n = problems.get(g.id)?.length ?? 0
    const p = def.layout?.[g.id] ?? at.get(g.id) ?? { x: 0, y: 0 }
    return {
      id: g.id,
      type: 'journey',
      position: { x: p.x, y: p.y },
      selected: g.id === selected,
      deletable: g.id !== ENTRY_ID,
      ariaLabel: `${title}: ${summary}${n ? `, ${n} ${n === 1 ? 'problem' : 'problems'}` : ''}`,
      data: {
        kind: g.kind,
        title,
        summary,
        slots: g.id === ENTRY_ID ? [entrySlot(def)] : g.node ? slots(g.node) : [],
        problems: n,
        counts: counts.get(g.id),
      },
    }
  })
}

export function buildEdges(edges: GraphEdge[], selectedEdge: string | null): Edge[] {
  return edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    sourceHandle: e.slot,
    targetHandle: 'in',
    type: 'smoothstep',
    label: e.label || undefined,
    selected: e.id === selectedEdge,
    markerEnd: { type: MarkerType.ArrowClosed },
    ariaLabel: `${e.source === ENTRY_ID ? 'Entry' : e.source}${e.label ? ` (${e.label})` : ''} to ${e.target}`,
    data: { slot: e.slot },
  }))
}

/** Keeps what React Flow measured, and the positions the user dragged or dropped steps at, across rebuilds. */
export function mergeCards(prev: CardNode[], next: CardNode[], placed: Map<string, { x: number; y: number }>): CardNode[] {
  const old = new Map(prev.map((n) => [n.id, n]))
  return next.map((n) => {
    const o = old.get(n.id)
    const position = placed.get(n.id) ?? n.position
    return { ...n, position, ...(o?.measured ? { measured: o.measured } : {}) }
  })
}
