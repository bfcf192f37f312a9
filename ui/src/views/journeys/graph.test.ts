import { describe, expect, it } from 'vitest'
import { abandonedCart, DEMO_JOURNEYS, welcome, winBack } from './fixtures'
import { slots, toGraph } from './graph'
import { ENTRY_ID, type JourneyDefinition } from './types'

const edgeSet = (def: JourneyDefinition) =>
  toGraph(def)
    .edges.map((e) => `${e.source} -[${e.label}]-> ${e.target}`)
    .sort()

describe('toGraph', () => {
  it.each(Object.entries(DEMO_JOURNEYS))('draws every node of %s, the entry first', (_, load) => {
    const def = load()
    const g = toGraph(def)
    expect(g.nodes.map((n) => n.id)).toEqual([ENTRY_ID, ...def.nodes.map((n) => n.id)])
    expect(g.nodes.every((n) => n.kind !== '')).toBe(true)
    expect(new Set(g.edges.map((e) => e.id)).size).toBe(g.edges.length)
  })

  it('labels the welcome series edges with their branches', () => {
    expect(edgeSet(welcome())).toEqual(
      [
        `${ENTRY_ID} -[]-> welcome-email`,
        'welcome-email -[]-> has-app',
        'has-app -[yes]-> welcome-push',
        'has-app -[no]-> wait-first-order',
        'welcome-push -[]-> wait-first-order',
        'wait-first-order -[Order Completed]-> bought',
        'wait-first-order -[timeout 7 days]-> coupon-sms',
        'coupon-sms -[]-> done',
      ].sort(),
    )
  })

  it('labels the abandoned cart edges, two waits with their timeouts', () => {
    expect(edgeSet(abandonedCart())).toEqual(
      [
        `${ENTRY_ID} -[]-> wait-order`,
        'wait-order -[Order Completed]-> bought',
        'wait-order -[timeout 1 hour]-> reminder',
        'reminder -[]-> wait-again',
        'wait-again -[Order Completed]-> bought',
        'wait-again -[timeout 1 day]-> done',
      ].sort(),
    )
  })

  it('labels the win-back edges', () => {
    expect(edgeSet(winBack())).toEqual(
      [
        `${ENTRY_ID} -[]-> high-value`,
        'high-value -[yes]-> agent-call',
        'high-value -[no]-> offer-email',
        'agent-call -[]-> offer-email',
        'offer-email -[]-> wait-order',
        'wait-order -[Order Completed]-> won-back',
        'wait-order -[timeout 30 days]-> done',
      ].sort(),
    )
  })

  it('names the slots of arms and leaves out edges to missing nodes', () => {
    const def: JourneyDefinition = {
      id: 'j',
      name: 'J',
      entry: { event: { name: 'X' }, next: 'ab' },
      nodes: [
        { id: 'ab', experiment: { variants: [{ id: 'A', percent: 45, next: 'x' }, { id: 'B', percent: 45, next: 'gone' }], control: { id: 'c', percent: 10, next: 'x' } } },
        { id: 'r', random_split: { paths: [{ percent: 100, next: 'x' }] } },
        { id: 'm', multi_split: { paths: [{ condition: {}, next: 'x' }], else: 'x' } },
        { id: 'x', exit: {} },
      ],
    }
    expect(slots(def.nodes[0]!).map((s) => [s.path, s.label])).toEqual([
      ['experiment.variants[0].next', 'A · 45%'],
      ['experiment.variants[1].next', 'B · 45%'],
      ['experiment.control.next', 'control · 10%'],
    ])
    expect(edgeSet(def)).toEqual(
      [`${ENTRY_ID} -[]-> ab`, 'ab -[A · 45%]-> x', 'ab -[control · 10%]-> x', 'r -[path 1 · 100%]-> x', 'm -[path 1]-> x', 'm -[else]-> x'].sort(),
    )
  })
})
