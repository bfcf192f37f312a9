import { pathKey, pathLabel } from '../tree'
import type { SegNode } from '../types'
import { NodeActions } from './NodeActions'
import { NodeError, useNodeError } from './NodeError'
import { NodeView, type NodeViewProps } from './NodeView'

/** A negated node: "not" around its operand, with the actions of the pair. */
export function NotView({ node, path, edit, inGroup }: NodeViewProps & { node: { not: SegNode } }) {
  const label = pathLabel(path)
  const error = useNodeError(path)
  return (
    <fieldset className={error ? 'seg-node seg-not seg-invalid' : 'seg-node seg-not'} data-seg-path={pathKey(path)}>
      <legend>Not {label}: must not hold</legend>
      {inGroup && (
        <div className="seg-node-head">
          <NodeActions
            node={node}
            path={path}
            name={`not ${label}`}
            siblings={inGroup.siblings}
            groupKind={inGroup.kind === 'and' ? 'or' : 'and'}
            edit={edit}
          />
        </div>
      )}
      <NodeError message={error} />
      <NodeView node={node.not} path={[...path, 0]} edit={edit} />
    </fieldset>
  )
}
