// Which node of the tree an API error is about. Validation errors name the
// node path under "definition" (docs/api.md): definition.and[1].performed.window.within
// is the second member of the root group, its window's within.

import { ApiError, errorMessage } from '../../api'
import { childrenOf, kindOf, pathKey, type Path } from './tree'
import type { SegNode } from './types'

export interface NodeError {
  /** The node the error is about. */
  path: number[]
  /** The part of the node, e.g. ["window", "within"] or ["steps[1]", "event"]; empty for the node itself. */
  part: string[]
  message: string
}

/** Splits "definition.and[1].performed" into ["and", "[1]", "performed"] (without the leading "definition"). */
export function fieldTokens(field: string): string[] | undefined {
  if (field !== 'definition' && !field.startsWith('definition.')) return undefined
  return field.slice('definition'.length).match(/\.[^.[\]]+|\[\d+\]/g)?.map((t) => (t.startsWith('.') ? t.slice(1) : t)) ?? []
}

/**
 * Maps an error field to the node of root it names, or undefined when it
 * names no node (not under "definition", the whole definition, or a path
 * that does not fit this tree any more).
 */
export function nodeOfField(root: SegNode, field: string): { path: number[]; part: string[] } | undefined {
  const toks = fieldTokens(field)
  if (!toks || toks.length === 0) return undefined
  let node = root
  const path: number[] = []
  let i = 0
  while (i < toks.length) {
    const kind = kindOf(node)
    if (toks[i] !== kind) return undefined
    if (kind === 'and' || kind === 'or') {
      const idx = /^\[(\d+)\]$/.exec(toks[i + 1] ?? '')
      if (!idx) return { path, part: toks.slice(i + 1) }
      const kid = childrenOf(node)[Number(idx[1])]
      if (!kid) return undefined
      path.push(Number(idx[1]))
      node = kid
      i += 2
    } else if (kind === 'not') {
      path.push(0)
      node = childrenOf(node)[0] as SegNode
      i += 1
    } else {
      // A leaf: the rest names a part of it, with list indexes joined to their key.
      return { path, part: joinIndexes(toks.slice(i + 1)) }
    }
  }
  return { path, part: [] }
}

function joinIndexes(toks: string[]): string[] {
  const out: string[] = []
  for (const t of toks) {
    if (t.startsWith('[') && out.length > 0) out[out.length - 1] += t
    else out.push(t)
  }
  return out
}

/** The node error of err on root, or undefined when it is not about a node. */
export function nodeError(root: SegNode, err: unknown): NodeError | undefined {
  if (!(err instanceof ApiError) || !err.field) return undefined
  const hit = nodeOfField(root, err.field)
  return hit && { ...hit, message: errorMessage(err) }
}

const PART_WORDS: Record<string, string> = {
  event: 'Event',
  where: 'Filter',
  has: 'Has filter',
  count: 'Count',
  window: 'Time window',
  within: 'Within',
  from_ago: 'From',
  to_ago: 'To',
  after: 'After',
  before: 'Before',
  steps: 'Step',
  time: 'Time',
  fn: 'Function',
  property: 'Property',
  context: 'Context field',
  op: 'Operator',
  value: 'Value',
  tz: 'Time zone',
  path: 'Trait',
  ids: 'Segment',
  match: 'Match',
  percent: 'Percent',
  salt: 'Salt',
  channels: 'Channel',
  sources: 'Source',
  group: 'Group',
  state: 'State',
  template: 'Template',
  journey: 'Journey',
  channel: 'Channel',
  not: 'Not',
}

/** ["steps[1]", "where[0]", "value"] → "Step 2 · Filter 1 · Value". */
export function partLabel(part: string[]): string {
  return part
    .map((p) => {
      const m = /^([a-z_]+)\[(\d+)\]$/.exec(p)
      if (m) return `${PART_WORDS[m[1] as string] ?? m[1]} ${Number(m[2]) + 1}`
      return PART_WORDS[p] ?? p
    })
    .join(' · ')
}

/** The message to show on the node at path, if the error is about it. */
export function messageFor(err: NodeError | undefined, path: Path): string | undefined {
  if (!err || pathKey(err.path) !== pathKey(path)) return undefined
  const where = partLabel(err.part)
  return where ? `${where}: ${err.message}` : err.message
}
