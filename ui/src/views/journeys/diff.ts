// The publish diff, computed in the browser from the live version and the
// draft: nodes added, removed and changed (with the fields that changed),
// and the journey-wide parts (entry, goals, exit criteria…) that changed.

import { isObject, type JourneyDefinition } from './types'

export interface FieldChange {
  path: string
  before: unknown
  after: unknown
}

export interface NodeChange {
  id: string
  changes: FieldChange[]
}

export interface JourneyDiff {
  added: string[]
  removed: string[]
  changed: NodeChange[]
  /** Journey-wide parts that changed: "name", "entry", "goals", "exit_criteria", "reentry", "settings", … */
  parts: string[]
}

/**
 * Drops what the server treats as absent (undefined, null, "", an empty
 * object such as reentry {}), so an unsaved draft compares like a saved one.
 */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clean)
  if (!isObject(v)) return v
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v).sort()) {
    const x = clean(v[k])
    if (x === undefined || x === null || x === '' || (isObject(x) && Object.keys(x).length === 0)) continue
    out[k] = x
  }
  return out
}

const same = (a: unknown, b: unknown) => JSON.stringify(clean(a)) === JSON.stringify(clean(b))

/** The leaves that differ between two values, by path ("message.template", "wait.branches[0].next"). */
export function fieldChanges(a: unknown, b: unknown, prefix = ''): FieldChange[] {
  const ca = clean(a)
  const cb = clean(b)
  if (same(ca, cb)) return []
  if (isObject(ca) && isObject(cb)) {
    const keys = [...new Set([...Object.keys(ca), ...Object.keys(cb)])].sort()
    return keys.flatMap((k) => fieldChanges(ca[k], cb[k], prefix ? `${prefix}.${k}` : k))
  }
  if (Array.isArray(ca) && Array.isArray(cb) && ca.length === cb.length) {
    return ca.flatMap((x, i) => fieldChanges(x, cb[i], `${prefix}[${i}]`))
  }
  return [{ path: prefix, before: ca, after: cb }]
}

/** What publishing draft would change against live (nothing live: every node is added). */
export function diffDefinitions(live: JourneyDefinition | undefined, draft: JourneyDefinition): JourneyDiff {
  const before = new Map((live?.nodes ?? []).map((n) => [n.id, n]))
  const after = new Map(draft.nodes.map((n) => [n.id, n]))
  const added = draft.nodes.filter((n) => !before.has(n.id)).map((n) => n.id)
  const removed = (live?.nodes ?? []).filter((n) => !after.has(n.id)).map((n) => n.id)
  const changed: NodeChange[] = []
  for (const n of draft.nodes) {
    const old = before.get(n.id)
    if (!old) continue
    const changes = fieldChanges(old, n)
    if (changes.length) changed.push({ id: n.id, changes })
  }
  const keys = new Set([...Object.keys(live ?? {}), ...Object.keys(draft)])
  keys.delete('nodes')
  keys.delete('id')
  const parts = [...keys].filter((k) => !same(live?.[k], draft[k])).sort()
  return { added, removed, changed, parts }
}

/** Whether the diff changes nothing. */
export function isEmptyDiff(d: JourneyDiff): boolean {
  return !d.added.length && !d.removed.length && !d.changed.length && !d.parts.length
}
