// The journey language as the console edits it (docs/journeys.md). The types
// are deliberately loose: every edit spreads the object it changes, so
// fields the console has no form for survive a round trip untouched.

export type Json = Record<string, unknown>

/** One node: an id, exactly one kind key, and next for single-exit kinds. */
export interface JNode {
  id: string
  name?: string
  next?: string
  [field: string]: unknown
}

export interface JourneyDefinition {
  id: string
  name: string
  description?: string
  entry: Json
  nodes: JNode[]
  goals?: Json[]
  exit_criteria?: Json[]
  /** Where the canvas draws each step (by node id, ENTRY_ID for the entry); saved with the draft. */
  layout?: Record<string, { x: number; y: number }>
  [field: string]: unknown
}

export const KINDS = [
  'delay',
  'wait',
  'split',
  'multi_split',
  'random_split',
  'experiment',
  'message',
  'update',
  'webhook',
  'jump',
  'exit',
] as const

export type NodeKind = (typeof KINDS)[number]

export const KIND_LABEL: Record<NodeKind, string> = {
  delay: 'Delay',
  wait: 'Wait',
  split: 'Split',
  multi_split: 'Multi-split',
  random_split: 'Random split',
  experiment: 'Experiment',
  message: 'Message',
  update: 'Update profile',
  webhook: 'Webhook',
  jump: 'Jump',
  exit: 'Exit',
}

/** The canvas id of the entry (no journey node can have it: node ids cannot start with "_"). */
export const ENTRY_ID = '__entry'

/** The node's kind: the first kind key it has ('' when none). */
export function kindOf(node: JNode): NodeKind | '' {
  for (const k of KINDS) if (node[k] !== undefined && node[k] !== null) return k
  return ''
}

/** The node's kind object (e.g. node.delay), {} when missing. */
export function body(node: JNode): Json {
  const k = kindOf(node)
  const b = k ? node[k] : undefined
  return b && typeof b === 'object' ? (b as Json) : {}
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A problem of a definition, as POST /v1/journeys/{id}/validate answers it. */
export interface Problem {
  path?: string
  node?: string
  message: string
  hint?: string
}
