// Pure edits of the condition tree. A node is addressed by its path: the
// child indexes from the root (an and/or child by its position, the operand
// of a not as 0). Every function returns a new tree and leaves its input alone.

import type { Kind, SegNode } from './types'

export type Path = readonly number[]

export function kindOf(n: SegNode): Kind {
  return Object.keys(n)[0] as Kind
}

export function isGroup(n: SegNode): n is { and: SegNode[] } | { or: SegNode[] } {
  return 'and' in n || 'or' in n
}

/** The members of an and/or group, the operand of a not, else none. */
export function childrenOf(n: SegNode): SegNode[] {
  if ('and' in n) return n.and
  if ('or' in n) return n.or
  if ('not' in n) return [n.not]
  return []
}

function withChildren(n: SegNode, kids: SegNode[]): SegNode {
  if ('and' in n) return { and: kids }
  if ('or' in n) return { or: kids }
  if ('not' in n && kids[0]) return { not: kids[0] }
  return n
}

export function nodeAt(root: SegNode, path: Path): SegNode | undefined {
  let n: SegNode | undefined = root
  for (const i of path) n = n ? childrenOf(n)[i] : undefined
  return n
}

/** Replaces the node at path by fn(node); an unknown path leaves the tree as it is. */
export function updateAt(root: SegNode, path: Path, fn: (n: SegNode) => SegNode): SegNode {
  if (path.length === 0) return fn(root)
  const [i, ...rest] = path as number[]
  const kids = childrenOf(root)
  const kid = kids[i as number]
  if (kid === undefined) return root
  return withChildren(root, kids.map((k, j) => (j === i ? updateAt(kid, rest, fn) : k)))
}

export function replaceAt(root: SegNode, path: Path, node: SegNode): SegNode {
  return updateAt(root, path, () => node)
}

/** Appends node to the group at groupPath. */
export function addChild(root: SegNode, groupPath: Path, node: SegNode): SegNode {
  return updateAt(root, groupPath, (g) => (isGroup(g) ? withChildren(g, [...childrenOf(g), node]) : g))
}

/** Removes the node at path from its group; the operand of a not goes with its not. The root stays. */
export function removeAt(root: SegNode, path: Path): SegNode {
  if (path.length === 0) return root
  const parentPath = path.slice(0, -1)
  const parent = nodeAt(root, parentPath)
  if (!parent) return root
  if ('not' in parent) return removeAt(root, parentPath)
  const i = path[path.length - 1]
  return updateAt(root, parentPath, (g) => withChildren(g, childrenOf(g).filter((_, j) => j !== i)))
}

/** Moves the node at path up (delta -1) or down (+1) within its group; at an end nothing changes. */
export function moveAt(root: SegNode, path: Path, delta: -1 | 1): SegNode {
  if (path.length === 0) return root
  const parentPath = path.slice(0, -1)
  const i = path[path.length - 1] as number
  return updateAt(root, parentPath, (g) => {
    if (!isGroup(g)) return g
    const kids = [...childrenOf(g)]
    const j = i + delta
    if (j < 0 || j >= kids.length) return g
    ;[kids[i], kids[j]] = [kids[j] as SegNode, kids[i] as SegNode]
    return withChildren(g, kids)
  })
}

/** The path a node has after moveAt (for keeping focus on it). */
export function movedPath(path: Path, delta: -1 | 1, siblings: number): number[] {
  const i = path[path.length - 1] ?? 0
  const j = Math.min(Math.max(i + delta, 0), siblings - 1)
  return [...path.slice(0, -1), j]
}

/** Wraps the node at path in not. */
export function negateAt(root: SegNode, path: Path): SegNode {
  return updateAt(root, path, (n) => ({ not: n }))
}

/** Replaces the not at path by its operand. */
export function unnegateAt(root: SegNode, path: Path): SegNode {
  return updateAt(root, path, (n) => ('not' in n ? n.not : n))
}

/** Puts the node at path into a new group of its own (to combine it with others). */
export function nestAt(root: SegNode, path: Path, kind: 'and' | 'or' = 'and'): SegNode {
  return updateAt(root, path, (n) => (kind === 'and' ? { and: [n] } : { or: [n] }))
}

/** Switches the group at path between "all of" (and) and "any of" (or). */
export function setGroupKind(root: SegNode, path: Path, kind: 'and' | 'or'): SegNode {
  return updateAt(root, path, (g) => {
    if (!isGroup(g)) return g
    const kids = childrenOf(g)
    return kind === 'and' ? { and: kids } : { or: kids }
  })
}

/**
 * The tree the builder edits: always a group at the root, so conditions can
 * be added next to the first one. The server replaces a group of one by its
 * member, so a wrapped definition saves as it was.
 */
export function editable(def: SegNode | undefined): SegNode {
  if (!def) return { and: [] }
  return isGroup(def) ? def : { and: [def] }
}

/** "1.2.1": a node's position as people count, for labels. */
export function pathLabel(path: Path): string {
  return path.map((i) => i + 1).join('.')
}

export function pathKey(path: Path): string {
  return path.join('.')
}

/** How many nodes a tree has (the API allows 500). */
export function countNodes(n: SegNode): number {
  return 1 + childrenOf(n).reduce((sum, k) => sum + countNodes(k), 0)
}
