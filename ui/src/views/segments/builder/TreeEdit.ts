import type { Path } from '../tree'
import type { SegNode } from '../types'

/**
 * Applies an edit to the whole tree; focus names the control to focus once
 * the tree has re-rendered (a node by path, a control in it by data-seg-focus),
 * so keyboard users keep their place after moving or adding a node.
 */
export type TreeEdit = (fn: (root: SegNode) => SegNode, focus?: { path: Path; control: string }) => void
