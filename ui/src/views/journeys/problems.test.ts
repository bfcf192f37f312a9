import { describe, expect, it } from 'vitest'
import { welcome } from './fixtures'
import { JOURNEY, problemField, problemsByNode, problemTarget, problemText } from './problems'
import { ENTRY_ID } from './types'

describe('problems on the canvas', () => {
  const def = welcome()

  it('puts each problem on its node, the entry or the journey', () => {
    expect(problemTarget(def, { path: 'nodes[3].wait.timeout_next', node: 'wait-first-order', message: 'no node "x"' })).toBe('wait-first-order')
    expect(problemTarget(def, { path: 'nodes[1].split.condition.trait.op', message: 'unknown op' })).toBe('has-app')
    expect(problemTarget(def, { path: 'entry.next', message: 'missing' })).toBe(ENTRY_ID)
    expect(problemTarget(def, { path: 'entry', message: 'an entry needs exactly one of event, segment, schedule, api' })).toBe(ENTRY_ID)
    expect(problemTarget(def, { path: 'goals[0].id', message: 'missing' })).toBe(JOURNEY)
    expect(problemTarget(def, { path: 'nodes', node: 'gone', message: 'loop' })).toBe(JOURNEY)
    expect(problemTarget(def, { path: 'nodes[99]', message: 'x' })).toBe(JOURNEY)
  })

  it('groups them by node', () => {
    const ps = [
      { path: 'nodes[0].message.template', node: 'welcome-email', message: 'unknown template "x"', hint: 'create the template first' },
      { path: 'nodes[0].message.channel', node: 'welcome-email', message: 'missing channel' },
      { path: 'name', message: 'missing' },
    ]
    const by = problemsByNode(def, ps)
    expect(by.get('welcome-email')).toHaveLength(2)
    expect(by.get(JOURNEY)).toEqual([ps[2]])
    expect(problemField(ps[0]!)).toBe('message.template')
    expect(problemText(ps[0]!)).toBe('unknown template "x" — create the template first')
  })
})
