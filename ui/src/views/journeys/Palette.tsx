import { useId } from 'react'
import { KIND_LABEL, KINDS, type NodeKind } from './types'

interface Props {
  /** The title of what a new step follows; undefined: nothing is selected. */
  after: string | undefined
  onAdd: (kind: NodeKind) => void
  disabled?: boolean
}

/** The drag data type of a kind dragged from the palette onto the canvas. */
export const DRAG_TYPE = 'application/x-cairn-step'

/** A button per kind of step: adds it after the selected step (into its first free branch), or drag it onto the canvas. */
export function Palette({ after, onAdd, disabled }: Props) {
  const id = useId()
  return (
    <section className="jr-palette" aria-labelledby={id}>
      <div className="jr-palette-head">
        <h2 id={id}>Add a step</h2>
        <p className="hint">{after ? <>after “{after}”, or drag one onto the canvas</> : 'Select a step to add the new one after it, or drag one onto the canvas.'}</p>
      </div>
      <div className="jr-palette-buttons">
        {KINDS.map((k) => (
          <button
            key={k}
            type="button"
            className={`jr-palette-button jr-kind-${k}`}
            disabled={disabled}
            draggable
            onDragStart={(e) => {
              e.dataTransfer.setData(DRAG_TYPE, k)
              e.dataTransfer.effectAllowed = 'copy'
            }}
            onClick={() => onAdd(k)}
          >
            {KIND_LABEL[k]}
          </button>
        ))}
      </div>
    </section>
  )
}
