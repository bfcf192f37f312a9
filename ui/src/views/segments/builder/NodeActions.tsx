import { kindOf, movedPath, moveAt, negateAt, nestAt, removeAt, unnegateAt, type Path } from '../tree'
import type { SegNode } from '../types'
import type { TreeEdit } from './TreeEdit'

interface Props {
  node: SegNode
  path: Path
  /** "condition 1.2" or "group 1.2", for the buttons' names. */
  name: string
  /** How many members the node's group has (for moving down). */
  siblings: number
  /** The kind a new group around the node gets: the other one than its parent's, to combine it with others. */
  groupKind: 'and' | 'or'
  edit: TreeEdit
}

/** Move up and down in the group, negate (or drop the not), put in a group, remove. */
export function NodeActions({ node, path, name, siblings, groupKind, edit }: Props) {
  const i = path[path.length - 1] ?? 0
  const negated = kindOf(node) === 'not'
  const move = (d: -1 | 1) =>
    edit((r) => moveAt(r, path, d), { path: movedPath(path, d, siblings), control: d < 0 && i + d > 0 ? 'up' : d > 0 && i + d < siblings - 1 ? 'down' : 'kind' })
  return (
    <div className="seg-actions" role="group" aria-label={`Actions for ${name}`}>
      <button type="button" className="button-secondary" data-seg-focus="up" disabled={i === 0} onClick={() => move(-1)} aria-label={`Move ${name} up`}>
        ↑
      </button>
      <button
        type="button"
        className="button-secondary"
        data-seg-focus="down"
        disabled={i >= siblings - 1}
        onClick={() => move(1)}
        aria-label={`Move ${name} down`}
      >
        ↓
      </button>
      <button
        type="button"
        className="button-secondary"
        aria-pressed={negated}
        onClick={() => edit((r) => (negated ? unnegateAt(r, path) : negateAt(r, path)), { path, control: 'not' })}
        aria-label={negated ? `Remove the not from ${name}` : `Negate ${name}`}
        data-seg-focus="not"
      >
        Not
      </button>
      <button
        type="button"
        className="button-secondary"
        onClick={() => edit((r) => nestAt(r, path, groupKind), { path: [...path, 0], control: 'kind' })}
        aria-label={`Put ${name} in a group`}
      >
        Group
      </button>
      <button type="button" className="button-secondary" onClick={() => edit((r) => removeAt(r, path), { path: path.slice(0, -1), control: 'add' })} aria-label={`Remove ${name}`}>
        Remove
      </button>
    </div>
  )
}
