import { kindLabel, LEAF_KINDS, newNode } from '../kinds'
import { LeafForm } from '../nodes/LeafForm'
import { kindOf, pathKey, pathLabel, replaceAt } from '../tree'
import type { LeafKind } from '../types'
import { NodeActions } from './NodeActions'
import { NodeError, useNodeError } from './NodeError'
import type { NodeViewProps } from './NodeView'

/** A condition: its kind (changing it starts a new one), its actions, its error and its form. */
export function LeafView({ node, path, edit, inGroup }: NodeViewProps) {
  const label = pathLabel(path)
  const error = useNodeError(path)
  const kind = kindOf(node)
  return (
    <fieldset className={error ? 'seg-node seg-leaf seg-invalid' : 'seg-node seg-leaf'} data-seg-path={pathKey(path)}>
      <legend>
        Condition {label}: {kindLabel(kind)}
      </legend>
      <div className="seg-node-head">
        <select
          aria-label={`Kind of condition ${label}`}
          data-seg-focus="kind"
          value={kind}
          onChange={(e) => edit((r) => replaceAt(r, path, newNode(e.target.value as LeafKind)), { path, control: 'kind' })}
        >
          {LEAF_KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
        {inGroup && (
          <NodeActions
            node={node}
            path={path}
            name={`condition ${label}`}
            siblings={inGroup.siblings}
            groupKind={inGroup.kind === 'and' ? 'or' : 'and'}
            edit={edit}
          />
        )}
      </div>
      <NodeError message={error} />
      <LeafForm node={node} onChange={(n) => edit((r) => replaceAt(r, path, n))} />
    </fieldset>
  )
}
