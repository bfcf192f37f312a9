import { describe, expect, it } from 'vitest'
import { buildCards, buildEdges } from './cards'
import { welcome, winBack } from './fixtures'
import { toGraph } from './graph'
import { problemsByNode } from './problems'
import { conditionText, entrySummary, formatDuration, nodeSummary } from './summary'
import { ENTRY_ID } from './types'

describe('card summaries', () => {
  it('says what each step does', () => {
    expect(formatDuration('2d')).toBe('2 days')
    expect(formatDuration('1h')).toBe('1 hour')
    expect(formatDuration('1h30m')).toBe('1h30m')
    expect(nodeSummary({ id: 'd', delay: { duration: '2d' } })).toBe('Delay · 2 days')
    expect(nodeSummary({ id: 'd', delay: { until: { time: '09:00', days: ['mon'] } } })).toBe('Delay · until 09:00 local (mon)')
    expect(nodeSummary({ id: 'm', message: { channel: 'email', template: 'welcome_1' } })).toBe('Message · email · welcome_1')
    expect(nodeSummary({ id: 'e', exit: {} })).toBe('Exit')
    expect(nodeSummary({ id: 'x', experiment: { variants: [{ id: 'A', percent: 45 }, { id: 'B', percent: 45 }], control: { percent: 10 } } })).toBe(
      'Experiment · A 45% / B 45% / control 10%',
    )
    const w = welcome()
    expect(w.nodes.map(nodeSummary)).toEqual([
      'Message · email · welcome',
      'Split · trait push_token exists',
      'Message · push · app-welcome',
      'Wait · Order Completed · up to 7 days',
      'Message · sms · first-order-coupon',
      'Exit',
      'Exit',
    ])
    expect(entrySummary(w)).toBe('On event · Signed Up')
    expect(conditionText({ and: [{ trait: { path: 'vip', op: 'equals', value: true } }, { not: { in_segment: { ids: ['x'] } } }] })).toBe(
      'trait vip equals true and not in_segment any ["x"]',
    )
  })
})

describe('the cards and arrows of the canvas', () => {
  it('marks the steps with problems, selects one, and gives each arrow its branch handle and label', () => {
    const def = winBack()
    const graph = toGraph(def)
    const problems = problemsByNode(def, [{ path: 'nodes[2].message.template', node: 'offer-email', message: 'unknown template' }])
    const cards = buildCards({ def, graph, selected: 'high-value', problems, counts: new Map([['wait-order', { waiting: 82 }]]) })
    const by = new Map(cards.map((c) => [c.id, c]))
    expect(cards.map((c) => c.id)).toEqual([ENTRY_ID, ...def.nodes.map((n) => n.id)])
    expect(by.get('offer-email')?.data.problems).toBe(1)
    expect(by.get('offer-email')?.ariaLabel).toBe('offer-email: Message · email · winback-offer, 1 problem')
    expect(by.get('high-value')?.selected).toBe(true)
    expect(by.get(ENTRY_ID)?.deletable).toBe(false)
    expect(by.get('wait-order')?.data.counts).toEqual({ waiting: 82 })
    const edges = buildEdges(graph.edges, null)
    expect(edges.find((e) => e.source === 'high-value' && e.target === 'offer-email')).toMatchObject({ sourceHandle: 'split.no', label: 'no' })
  })
})
