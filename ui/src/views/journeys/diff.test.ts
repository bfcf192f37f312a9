import { describe, expect, it } from 'vitest'
import { diffDefinitions, isEmptyDiff } from './diff'
import { addAfter, deleteNode, setNodeField } from './edit'
import { welcome } from './fixtures'

describe('the publish diff', () => {
  it('finds nothing between a definition and itself, empty strings counting as absent', () => {
    const live = welcome()
    const draft = { ...welcome(), description: live.description, nodes: welcome().nodes.map((n) => (n.id === 'done' ? { ...n, name: '' } : n)) }
    expect(isEmptyDiff(diffDefinitions(live, draft))).toBe(true)
  })

  it('lists nodes added, removed and changed, with the fields', () => {
    const live = welcome()
    let draft = addAfter(live, 'welcome-email', 'delay').def
    draft = deleteNode(draft, 'bought')
    draft = setNodeField(draft, 'coupon-sms', 'message.template', 'winback-offer')
    const d = diffDefinitions(live, draft)
    expect(d.added).toEqual(['delay-1'])
    expect(d.removed).toEqual(['bought'])
    expect(d.changed.map((c) => c.id)).toEqual(['welcome-email', 'wait-first-order', 'coupon-sms'])
    expect(d.changed[0]?.changes).toEqual([{ path: 'next', before: 'has-app', after: 'delay-1' }])
    expect(d.changed[1]?.changes).toEqual([{ path: 'wait.branches[0].next', before: 'bought', after: undefined }])
    expect(d.changed[2]?.changes).toEqual([{ path: 'message.template', before: 'first-order-coupon', after: 'winback-offer' }])
    expect(d.parts).toEqual([])
  })

  it('names journey-wide changes, and against no live version everything is new', () => {
    const draft = { ...welcome(), name: 'Hello', goals: [], exit_criteria: [{ event: { name: 'Unsubscribed' } }] }
    expect(diffDefinitions(welcome(), draft).parts).toEqual(['exit_criteria', 'goals', 'name'])
    const first = diffDefinitions(undefined, welcome())
    expect(first.added).toHaveLength(7)
    expect(first.parts).toEqual(['description', 'entry', 'goals', 'name'])
  })
})
