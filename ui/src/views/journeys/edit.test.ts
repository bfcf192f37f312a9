import { describe, expect, it } from 'vitest'
import { addAfter, connect, deleteNode, moveNode, newDefinition, renameNode, setNodeField } from './edit'
import { buildCards } from './cards'
import { abandonedCart, welcome } from './fixtures'
import { toGraph } from './graph'
import { ENTRY_ID, type JourneyDefinition } from './types'

const node = (def: JourneyDefinition, id: string) => def.nodes.find((n) => n.id === id)

describe('canvas positions', () => {
  it('are kept in the layout, follow renames, leave with their step, and place the cards', () => {
    let def = moveNode(welcome(), 'welcome-email', { x: 310.4, y: -20.6 })
    def = moveNode(def, ENTRY_ID, { x: 0, y: 0 })
    expect(def.layout).toEqual({ 'welcome-email': { x: 310, y: -21 }, [ENTRY_ID]: { x: 0, y: 0 } })
    const cards = buildCards({ def, graph: toGraph(def), selected: null, problems: new Map(), counts: new Map() })
    expect(cards.find((c) => c.id === 'welcome-email')?.position).toEqual({ x: 310, y: -21 })
    def = renameNode(def, 'welcome-email', 'hello')
    expect(def.layout).toEqual({ hello: { x: 310, y: -21 }, [ENTRY_ID]: { x: 0, y: 0 } })
    def = deleteNode(def, 'hello')
    expect(def.layout).toEqual({ [ENTRY_ID]: { x: 0, y: 0 } })
    expect(deleteNode(moveNode(welcome(), 'has-app', { x: 1, y: 1 }), 'has-app').layout).toBeUndefined()
  })
})

describe('editing a definition', () => {
  it('adds a node between a node and what followed it', () => {
    const before = welcome()
    const { def, id } = addAfter(before, 'welcome-email', 'delay')
    expect(id).toBe('delay-1')
    expect(node(def, 'welcome-email')?.next).toBe('delay-1')
    expect(node(def, 'delay-1')).toEqual({ id: 'delay-1', delay: { duration: '1d' }, next: 'has-app' })
    expect(def.nodes.map((n) => n.id).indexOf('delay-1')).toBe(1)
    expect(before.nodes.some((n) => n.id === 'delay-1')).toBe(false) // not mutated
  })

  it('adds after the entry, and into the first empty branch of a split', () => {
    let def = newDefinition('j', 'J')
    def = addAfter(def, ENTRY_ID, 'split').def
    expect(def.entry.next).toBe('split-1')
    expect(node(def, 'split-1')?.split).toMatchObject({ yes: 'done', no: '' })
    const r = addAfter(def, 'split-1', 'message')
    expect(node(r.def, 'split-1')?.split).toMatchObject({ yes: 'done', no: 'message-1' })
    expect(node(r.def, 'message-1')?.next).toBeUndefined()
  })

  it('adds after an exit without connecting it', () => {
    const { def, id } = addAfter(newDefinition('j', 'J'), 'done', 'exit')
    expect(id).toBe('exit-1')
    expect(toGraph(def).edges.some((e) => e.target === 'exit-1')).toBe(false)
  })

  it('connects a slot, and clears it', () => {
    let def = connect(welcome(), 'has-app', 'split.no', 'done')
    expect(node(def, 'has-app')?.split).toMatchObject({ yes: 'welcome-push', no: 'done', condition: { trait: { path: 'push_token', op: 'exists' } } })
    def = connect(def, 'wait-first-order', 'wait.branches[0].next', 'done')
    expect((node(def, 'wait-first-order')?.wait as { branches: Array<{ next: string }> }).branches[0]?.next).toBe('done')
    def = connect(def, 'coupon-sms', 'next', '')
    expect('next' in node(def, 'coupon-sms')!).toBe(false)
    def = connect(def, ENTRY_ID, 'next', 'done')
    expect(def.entry).toEqual({ event: { name: 'Signed Up' }, next: 'done' })
  })

  it('deletes a node and every edge that led to it', () => {
    const def = deleteNode(abandonedCart(), 'bought')
    expect(node(def, 'bought')).toBeUndefined()
    const wait = node(def, 'wait-order')?.wait as { branches: Array<{ next: string; event: unknown }>; timeout_next: string }
    expect(wait.branches[0]).toEqual({ event: { name: 'Order Completed' }, next: '' })
    expect(wait.timeout_next).toBe('reminder')
    expect(toGraph(def).edges.some((e) => e.target === 'bought')).toBe(false)
    expect(deleteNode(def, 'wait-order').entry.next).toBe('')
  })

  it('changes one field and keeps the fields it has no form for', () => {
    const start = setNodeField(abandonedCart(), 'reminder', 'message.retries', 5)
    const def = setNodeField(start, 'reminder', 'message.template', 'winback-offer')
    expect(node(def, 'reminder')).toEqual({
      id: 'reminder',
      message: { channel: 'email', template: 'winback-offer', subscription_group: 'newsletter', on_failure: 'skip', retries: 5 },
      next: 'wait-again',
    })
    expect(def.reentry).toEqual({ mode: 'anytime', min_interval: '1d' })
    expect(def.settings).toEqual(abandonedCart().settings)
    expect(setNodeField(def, 'reminder', 'message.subscription_group', undefined).nodes[1]?.message).not.toHaveProperty('subscription_group')
  })

  it('renames a node and what pointed at it, refusing a taken id', () => {
    const def = renameNode(welcome(), 'wait-first-order', 'wait')
    expect(node(def, 'has-app')?.split).toMatchObject({ no: 'wait' })
    expect(node(def, 'welcome-push')?.next).toBe('wait')
    expect(renameNode(def, 'wait', 'done')).toBe(def)
  })
})
