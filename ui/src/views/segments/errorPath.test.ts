import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api'
import { messageFor, nodeError, nodeOfField, partLabel } from './errorPath'
import type { SegNode } from './types'

const tree: SegNode = {
  and: [
    { trait: { path: 'plan', op: 'equals', value: 'pro' } },
    { not: { performed: { event: 'A', window: { within: '-3d' } } } },
    { or: [{ everyone: true }, { sequence: { steps: [{ event: 'A' }, { event: 'B' }] } }] },
    { or: [] },
  ],
}

describe('error field paths', () => {
  it('finds the node a definition path names, and the part of it', () => {
    expect(nodeOfField(tree, 'definition.and[1].not.performed.window.within')).toEqual({ path: [1, 0], part: ['window', 'within'] })
    expect(nodeOfField(tree, 'definition.and[0].trait.value')).toEqual({ path: [0], part: ['value'] })
    expect(nodeOfField(tree, 'definition.and[2].or[1].sequence.steps[1].where[0].value')).toEqual({
      path: [2, 1],
      part: ['steps[1]', 'where[0]', 'value'],
    })
    expect(nodeOfField(tree, 'definition.and[2].or[1]')).toEqual({ path: [2, 1], part: [] })
    // An empty group is itself the node.
    expect(nodeOfField(tree, 'definition.and[3].or')).toEqual({ path: [3], part: [] })
    // The path of a not's operand is the not's key.
    expect(nodeOfField(tree, 'definition.and[1].not')).toEqual({ path: [1, 0], part: [] })
  })

  it('names no node for the whole definition, other fields, or a path that does not fit', () => {
    expect(nodeOfField(tree, 'definition')).toBeUndefined()
    expect(nodeOfField(tree, 'name')).toBeUndefined()
    expect(nodeOfField(tree, 'text')).toBeUndefined()
    expect(nodeOfField(tree, 'definition.or[0]')).toBeUndefined()
    expect(nodeOfField(tree, 'definition.and[9].trait')).toBeUndefined()
    expect(nodeOfField(tree, 'definition.and[0].performed.event')).toBeUndefined()
  })

  it('words the part and puts the message on that node only', () => {
    expect(partLabel(['steps[1]', 'where[0]', 'value'])).toBe('Step 2 · Filter 1 · Value')
    expect(partLabel(['window', 'within'])).toBe('Time window · Within')
    const err = new ApiError(400, {
      code: 'bad_request',
      message: 'duration "-3d" must be positive',
      field: 'definition.and[1].not.performed.window.within',
    })
    const ne = nodeError(tree, err)
    expect(ne).toEqual({ path: [1, 0], part: ['window', 'within'], message: 'duration "-3d" must be positive' })
    expect(messageFor(ne, [1, 0])).toBe('Time window · Within: duration "-3d" must be positive')
    expect(messageFor(ne, [1])).toBeUndefined()
    expect(nodeError(tree, new ApiError(400, { code: 'bad_request', message: 'x', field: 'name' }))).toBeUndefined()
    expect(nodeError(tree, new Error('x'))).toBeUndefined()
  })
})
