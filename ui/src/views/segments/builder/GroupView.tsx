import { childrenOf, pathKey, pathLabel, setGroupKind } from '../tree'
import type { SegNode } from '../types'
import { AddBar } from './AddBar'
import { NodeActions } from './NodeActions'
import { NodeError, useNodeError } from './NodeError'
import { NodeView, type NodeViewProps } from './NodeView'

type Group = { and: SegNode[] } | { or: SegNode[] }

/** An and/or group: whether all or any of its members must hold, the members, and adding more. */
export function GroupView({ node, path, edit, inGroup }: NodeViewProps & { node: Group }) {
  const kind = 'and' in node ? 'and' : 'or'
  const kids = childrenOf(node)
  const root = path.length === 0
  const label = root ? 'Conditions' : `Group ${pathLabel(path)}`
  const error = useNodeError(path)
  return (
    <fieldset className={`seg-node seg-group seg-group-${kind}${error ? ' seg-invalid' : ''}`} data-seg-path={pathKey(path)}>
      <legend>{label}</legend>
      <div className="seg-node-head">
        <label className="seg-inline-label">
          <span>Profiles match when</span>
          <select
            data-seg-focus="kind"
            aria-label={`How the members of ${label.toLowerCase()} combine`}
            value={kind}
            onChange={(e) => edit((r) => setGroupKind(r, path, e.target.value as 'and' | 'or'))}
          >
            <option value="and">all of these hold (and)</option>
            <option value="or">any of these holds (or)</option>
          </select>
        </label>
        {inGroup && (
          <NodeActions
            node={node}
            path={path}
            name={label.toLowerCase()}
            siblings={inGroup.siblings}
            groupKind={inGroup.kind === 'and' ? 'or' : 'and'}
            edit={edit}
          />
        )}
      </div>
      <NodeError message={error} />
      {kids.length > 0 ? (
        <ol className="seg-members">
          {kids.map((k, i) => (
            <li key={i} className="seg-member">
              {i > 0 && <span className="seg-joiner">{kind}</span>}
              <NodeView node={k} path={[...path, i]} edit={edit} inGroup={{ siblings: kids.length, kind }} />
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{root ? 'No conditions yet: add the first one below.' : 'This group is empty: add a condition or remove it.'}</p>
      )}
      <AddBar path={path} groupKind={kind} label={label} edit={edit} count={kids.length} />
    </fieldset>
  )
}
