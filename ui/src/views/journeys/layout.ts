// A small layered layout, left to right: each node's column is its longest
// distance from the entry along the graph without its back edges (so every
// forward edge goes right), and within a column nodes are ordered by the
// mean height of their parents, to keep edges short and few of them crossing.

export interface Point {
  x: number
  y: number
}

export interface Placement extends Point {
  depth: number
  row: number
}

export const COLUMN_WIDTH = 300
export const ROW_HEIGHT = 140

interface Link {
  source: string
  target: string
}

/** The edges that close a cycle, found by a depth-first walk from the first id (the entry), then from the rest in order. */
export function backEdges(ids: string[], edges: Link[]): Set<Link> {
  const out = new Map<string, Link[]>()
  for (const e of edges) out.set(e.source, [...(out.get(e.source) ?? []), e])
  const state = new Map<string, 1 | 2>() // 1 on the walk's path, 2 done
  const back = new Set<Link>()
  const visit = (root: string) => {
    const stack: Array<{ id: string; i: number }> = [{ id: root, i: 0 }]
    state.set(root, 1)
    while (stack.length) {
      const top = stack[stack.length - 1]!
      const e = (out.get(top.id) ?? [])[top.i++]
      if (!e) {
        state.set(top.id, 2)
        stack.pop()
        continue
      }
      const s = state.get(e.target)
      if (s === 1) back.add(e)
      else if (s === undefined) {
        state.set(e.target, 1)
        stack.push({ id: e.target, i: 0 })
      }
    }
  }
  for (const id of ids) if (!state.has(id)) visit(id)
  return back
}

/** The column (depth) and row of every id, and its position. */
export function layeredLayout(ids: string[], allEdges: Link[]): Map<string, Placement> {
  const known = new Set(ids)
  const edges = allEdges.filter((e) => known.has(e.source) && known.has(e.target) && e.source !== e.target)
  const back = backEdges(ids, edges)
  const forward = edges.filter((e) => !back.has(e))

  // Longest path over the acyclic forward edges (Kahn's order).
  const indeg = new Map(ids.map((id) => [id, 0]))
  for (const e of forward) indeg.set(e.target, (indeg.get(e.target) ?? 0) + 1)
  const depth = new Map<string, number>()
  ids.forEach((id, i) => {
    if (indeg.get(id) === 0) depth.set(id, i === 0 ? 0 : 1)
  })
  const queue = ids.filter((id) => indeg.get(id) === 0)
  const parents = new Map<string, string[]>()
  while (queue.length) {
    const id = queue.shift()!
    for (const e of forward) {
      if (e.source !== id) continue
      depth.set(e.target, Math.max(depth.get(e.target) ?? 0, (depth.get(id) ?? 0) + 1))
      parents.set(e.target, [...(parents.get(e.target) ?? []), id])
      const left = (indeg.get(e.target) ?? 1) - 1
      indeg.set(e.target, left)
      if (left === 0) queue.push(e.target)
    }
  }

  // Rows: column by column, by the mean row of the parents, ties in definition order.
  const index = new Map(ids.map((id, i) => [id, i]))
  const columns = new Map<number, string[]>()
  for (const id of ids) {
    const d = depth.get(id) ?? 0
    columns.set(d, [...(columns.get(d) ?? []), id])
  }
  const placed = new Map<string, Placement>()
  // Nodes without a placed parent (unreachable ones) go to the bottom of their column.
  const key = (id: string) => {
    const ys = (parents.get(id) ?? []).flatMap((p) => (placed.has(p) ? [placed.get(p)!.y] : []))
    return ys.length ? ys.reduce((s, y) => s + y, 0) / ys.length : Number.MAX_SAFE_INTEGER
  }
  for (const d of [...columns.keys()].sort((a, b) => a - b)) {
    const col = columns.get(d) ?? []
    const sorted = [...col].sort((a, b) => key(a) - key(b) || (index.get(a) ?? 0) - (index.get(b) ?? 0))
    sorted.forEach((id, r) => {
      placed.set(id, { depth: d, row: r, x: d * COLUMN_WIDTH, y: (r - (sorted.length - 1) / 2) * ROW_HEIGHT })
    })
  }
  return placed
}
