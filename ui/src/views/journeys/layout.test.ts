import { describe, expect, it } from 'vitest'
import { DEMO_JOURNEYS } from './fixtures'
import { toGraph } from './graph'
import { backEdges, layeredLayout } from './layout'

function place(ids: string[], edges: Array<{ source: string; target: string }>) {
  const at = layeredLayout(ids, edges)
  expect([...at.keys()].sort()).toEqual([...ids].sort())
  const spots = new Set([...at.values()].map((p) => `${p.x},${p.y}`))
  expect(spots.size).toBe(ids.length)
  return at
}

describe('layeredLayout', () => {
  it.each(Object.entries(DEMO_JOURNEYS))('places %s left to right without two nodes on one spot', (_, load) => {
    const g = toGraph(load())
    const at = place(
      g.nodes.map((n) => n.id),
      g.edges,
    )
    for (const e of g.edges) expect(at.get(e.target)!.depth).toBeGreaterThan(at.get(e.source)!.depth)
    expect(at.get(g.nodes[0]!.id)!.depth).toBe(0)
  })

  it('takes the longest path, so a node after a join sits right of both branches', () => {
    const at = place(['e', 'split', 'a', 'join'], [
      { source: 'e', target: 'split' },
      { source: 'split', target: 'a' },
      { source: 'split', target: 'join' },
      { source: 'a', target: 'join' },
    ])
    expect(at.get('join')!.depth).toBe(3)
  })

  it('keeps cycles readable: only the back edge goes left, unreachable nodes get a spot too', () => {
    const edges = [
      { source: 'e', target: 'a' },
      { source: 'a', target: 'b' },
      { source: 'b', target: 'a' },
      { source: 'b', target: 'c' },
    ]
    expect([...backEdges(['e', 'a', 'b', 'c'], edges)]).toEqual([edges[2]])
    const at = place(['e', 'a', 'b', 'c', 'lost', 'lost2'], [...edges, { source: 'lost', target: 'lost2' }])
    expect(at.get('c')!.depth).toBe(3)
    expect(at.get('lost2')!.depth).toBeGreaterThan(at.get('lost')!.depth)
  })
})
