import { describe, expect, it } from 'vitest'
import {
  addChild,
  countNodes,
  editable,
  movedPath,
  moveAt,
  negateAt,
  nestAt,
  nodeAt,
  removeAt,
  replaceAt,
  setGroupKind,
  unnegateAt,
} from './tree'
import type { SegNode } from './types'

const a: SegNode = { performed: { event: 'A' } }
const b: SegNode = { performed: { event: 'B' } }
const c: SegNode = { trait: { path: 'plan', op: 'equals', value: 'pro' } }
const tree: SegNode = { and: [a, { or: [b, c] }] }

describe('tree edits', () => {
  it('adds a condition or a group at the end of a group, nested too', () => {
    expect(addChild(tree, [], { everyone: true })).toEqual({ and: [a, { or: [b, c] }, { everyone: true }] })
    expect(addChild(tree, [1], { and: [a] })).toEqual({ and: [a, { or: [b, c, { and: [a] }] }] })
    // Not a group: nothing changes.
    expect(addChild(tree, [0], b)).toEqual(tree)
  })

  it('removes a node; the operand of a not goes with its not; the root stays', () => {
    expect(removeAt(tree, [0])).toEqual({ and: [{ or: [b, c] }] })
    expect(removeAt(tree, [1, 1])).toEqual({ and: [a, { or: [b] }] })
    const negated: SegNode = { and: [{ not: a }, b] }
    expect(removeAt(negated, [0, 0])).toEqual({ and: [b] })
    expect(removeAt(tree, [])).toBe(tree)
  })

  it('moves a node up and down within its group, not past the ends', () => {
    expect(moveAt(tree, [0], 1)).toEqual({ and: [{ or: [b, c] }, a] })
    expect(moveAt(tree, [1, 1], -1)).toEqual({ and: [a, { or: [c, b] }] })
    expect(moveAt(tree, [0], -1)).toEqual(tree)
    expect(moveAt(tree, [1], 1)).toEqual(tree)
    expect(movedPath([1, 1], -1, 2)).toEqual([1, 0])
    expect(movedPath([1, 1], 1, 2)).toEqual([1, 1])
  })

  it('nests a node in a new group, negates and un-negates it, switches and/or', () => {
    expect(nestAt(tree, [0], 'or')).toEqual({ and: [{ or: [a] }, { or: [b, c] }] })
    const negated = negateAt(tree, [1, 0])
    expect(negated).toEqual({ and: [a, { or: [{ not: b }, c] }] })
    expect(unnegateAt(negated, [1, 0])).toEqual(tree)
    expect(setGroupKind(tree, [1], 'and')).toEqual({ and: [a, { and: [b, c] }] })
    expect(setGroupKind(tree, [], 'or')).toEqual({ or: [a, { or: [b, c] }] })
  })

  it('reads and replaces by path and leaves its input alone', () => {
    const before = JSON.stringify(tree)
    expect(nodeAt(tree, [1, 1])).toBe(c)
    expect(nodeAt(tree, [5])).toBeUndefined()
    expect(replaceAt(tree, [1, 0], { everyone: true })).toEqual({ and: [a, { or: [{ everyone: true }, c] }] })
    expect(nodeAt(negateAt(tree, [0]), [0, 0])).toBe(a)
    expect(JSON.stringify(tree)).toBe(before)
    expect(countNodes(tree)).toBe(5)
  })

  it('always edits a group at the root', () => {
    expect(editable(undefined)).toEqual({ and: [] })
    expect(editable(a)).toEqual({ and: [a] })
    expect(editable({ not: a })).toEqual({ and: [{ not: a }] })
    expect(editable(tree)).toBe(tree)
  })
})
