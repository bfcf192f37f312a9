import { isGroup, type Path } from '../tree'
import type { SegNode } from '../types'
import { GroupView } from './GroupView'
import { LeafView } from './LeafView'
import { NotView } from './NotView'
import type { TreeEdit } from './TreeEdit'

export interface NodeViewProps {
  node: SegNode
  path: Path
  edit: TreeEdit
  /** Set when the node is a member of a group: how many members it has and the group's kind. */
  inGroup?: { siblings: number; kind: 'and' | 'or' }
}

/** One node of the tree: a group, a not, or a condition. */
export function NodeView(props: NodeViewProps) {
  const { node } = props
  if (isGroup(node)) return <GroupView {...props} node={node} />
  if ('not' in node) return <NotView {...props} node={node} />
  return <LeafView {...props} />
}
