import { useId, useState } from 'react'
import { LEAF_KINDS, newNode } from '../kinds'
import { addChild, type Path } from '../tree'
import type { LeafKind } from '../types'
import type { TreeEdit } from './TreeEdit'

interface Props {
  path: Path
  groupKind: 'and' | 'or'
  /** The group's name, for the controls' names. */
  label: string
  /** How many members the group has (the new one's index). */
  count: number
  edit: TreeEdit
}

/** Adds a condition of the chosen kind, or a group (of the other kind) starting with one, to a group. */
export function AddBar({ path, groupKind, label, count, edit }: Props) {
  const [kind, setKind] = useState<LeafKind>('performed')
  const id = useId()
  const help = LEAF_KINDS.find((k) => k.kind === kind)?.help
  const newPath = [...path, count]
  const other = groupKind === 'and' ? 'or' : 'and'
  return (
    <div className="seg-add" role="group" aria-label={`Add to ${label.toLowerCase()}`}>
      <label htmlFor={id} className="seg-inline-label">
        New condition
      </label>
      <select id={id} value={kind} onChange={(e) => setKind(e.target.value as LeafKind)} aria-describedby={`${id}-help`}>
        {LEAF_KINDS.map((k) => (
          <option key={k.kind} value={k.kind}>
            {k.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button-secondary"
        data-seg-focus="add"
        onClick={() => edit((r) => addChild(r, path, newNode(kind)), { path: newPath, control: 'kind' })}
      >
        Add condition
      </button>
      <button
        type="button"
        className="button-secondary"
        onClick={() =>
          edit((r) => addChild(r, path, other === 'or' ? { or: [newNode(kind)] } : { and: [newNode(kind)] }), {
            path: [...newPath, 0],
            control: 'kind',
          })
        }
      >
        Add group ({other})
      </button>
      <span className="hint seg-add-help" id={`${id}-help`}>
        {help}
      </span>
    </div>
  )
}
