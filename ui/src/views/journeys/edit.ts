// Editing operations on a definition. Each returns a new definition and
// copies only what it changes, so fields the console does not know survive.

import { slots, slotsOf } from './graph'
import { setAt } from './paths'
import { ENTRY_ID, type JNode, type Json, type JourneyDefinition, type NodeKind } from './types'

const cond = () => ({ trait: { path: 'vip', op: 'equals', value: true } })

/** What a node of each kind starts with. */
export function defaultBody(kind: NodeKind): Json {
  switch (kind) {
    case 'delay': return { duration: '1d' }
    case 'wait': return { branches: [{ event: { name: 'Order Completed' }, next: '' }], timeout: '7d', timeout_next: '' }
    case 'split': return { condition: cond(), yes: '', no: '' }
    case 'multi_split': return { paths: [{ condition: cond(), next: '' }], else: '' }
    case 'random_split': return { paths: [{ id: 'A', percent: 50, next: '' }, { id: 'B', percent: 50, next: '' }] }
    case 'experiment':
      return { variants: [{ id: 'A', percent: 45, next: '' }, { id: 'B', percent: 45, next: '' }], control: { id: 'control', percent: 10, next: '' }, metric: 'Order Completed', window: '7d' }
    case 'message': return { channel: 'email', template: '' }
    case 'update': return { set: {} }
    case 'webhook': return { url: 'https://' }
    case 'jump': return { journey: '' }
    case 'exit': return {}
  }
}

/** A node id not used yet: "delay-1", "delay-2", … */
export function newNodeId(def: JourneyDefinition, kind: NodeKind): string {
  const used = new Set(def.nodes.map((n) => n.id))
  const base = kind.replace('_', '-')
  let i = 1
  while (used.has(`${base}-${i}`)) i++
  return `${base}-${i}`
}

/** Points one slot of a node (or the entry's next) at target; '' clears it. */
export function connect(def: JourneyDefinition, source: string, slot: string, target: string): JourneyDefinition {
  if (source === ENTRY_ID) return { ...def, entry: { ...def.entry, next: target } }
  const value = slot === 'next' && !target ? undefined : target
  return { ...def, nodes: def.nodes.map((n) => (n.id === source ? setAt(n, slot, value) : n)) }
}

/**
 * Adds a node of kind after the node `after`: into its first empty slot, or
 * between it and what its first slot led to. After an exit (no slots) the
 * new node stays unconnected.
 */
export function addAfter(def: JourneyDefinition, after: string, kind: NodeKind): { def: JourneyDefinition; id: string } {
  const id = newNodeId(def, kind)
  let node: JNode = { id, [kind]: defaultBody(kind) }
  const from = slotsOf(def, after)
  const slot = from.find((s) => !s.target) ?? from[0]
  const at = def.nodes.findIndex((n) => n.id === after)
  const nodes = [...def.nodes]
  if (slot?.target) {
    const first = slots(node)[0]
    if (first) node = setAt(node, first.path, slot.target)
  }
  nodes.splice(at < 0 ? nodes.length : at + 1, 0, node)
  let out: JourneyDefinition = { ...def, nodes }
  if (slot) out = connect(out, after, slot.path, id)
  return { def: out, id }
}

/** Removes a node and clears every slot that led to it (the entry's included). */
export function deleteNode(def: JourneyDefinition, id: string): JourneyDefinition {
  if (id === ENTRY_ID) return def
  let out: JourneyDefinition = withoutPosition({ ...def, nodes: def.nodes.filter((n) => n.id !== id) }, id)
  if (out.entry?.next === id) out = connect(out, ENTRY_ID, 'next', '')
  for (const n of out.nodes) for (const s of slots(n)) if (s.target === id) out = connect(out, n.id, s.path, '')
  return out
}

/** Sets one field of a node by path ("message.template", "wait.branches[0].event.name"); undefined deletes it. */
export function setNodeField(def: JourneyDefinition, id: string, path: string, value: unknown): JourneyDefinition {
  return { ...def, nodes: def.nodes.map((n) => (n.id === id ? setAt(n, path, value) : n)) }
}

/** Gives a node a new id and points every slot that led to it at the new id. */
export function renameNode(def: JourneyDefinition, from: string, to: string): JourneyDefinition {
  if (!to || from === to || def.nodes.some((n) => n.id === to)) return def
  let out: JourneyDefinition = { ...def, nodes: def.nodes.map((n) => (n.id === from ? { ...n, id: to } : n)) }
  const at = def.layout?.[from]
  if (at) out = moveNode(withoutPosition(out, from), to, at)
  if (out.entry?.next === from) out = connect(out, ENTRY_ID, 'next', to)
  for (const n of out.nodes) for (const s of slots(n)) if (s.target === from) out = connect(out, n.id, s.path, to)
  return out
}

/** A new journey: an event entry leading to one exit node. */
export function newDefinition(id: string, name: string): JourneyDefinition {
  return { id, name, entry: { event: { name: 'Signed Up' }, next: 'done' }, nodes: [{ id: 'done', exit: {} }] }
}

/** Records where a step (or the entry, ENTRY_ID) is drawn on the canvas, in whole pixels. */
export function moveNode(def: JourneyDefinition, id: string, at: { x: number; y: number }): JourneyDefinition {
  return { ...def, layout: { ...def.layout, [id]: { x: Math.round(at.x), y: Math.round(at.y) } } }
}

function withoutPosition(def: JourneyDefinition, id: string): JourneyDefinition {
  if (!def.layout || !(id in def.layout)) return def
  const { [id]: _gone, ...rest } = def.layout
  const out: JourneyDefinition = { ...def, layout: rest }
  if (Object.keys(rest).length === 0) delete out.layout
  return out
}
