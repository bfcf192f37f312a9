import { useId } from 'react'

interface Props {
  /** Editing the text form itself (sent as "text") rather than the builder. */
  editing: boolean
  /** The text form of the builder's tree (read-only), or the text being edited. */
  text: string
  onText: (t: string) => void
  onToggle: () => void
  /** An error about the text (a syntax error with its line and column). */
  error: string | undefined
}

/** The text form side by side with the builder; "Edit as text" makes it the definition that is previewed and saved. */
export function TextPanel({ editing, text, onText, onToggle, error }: Props) {
  const id = useId()
  return (
    <section className="panel seg-text" aria-labelledby={`${id}-title`}>
      <div className="panel-header">
        <h2 id={`${id}-title`}>Text form</h2>
        <button type="button" className="button-secondary" onClick={onToggle} aria-pressed={editing}>
          {editing ? 'Back to the builder' : 'Edit as text'}
        </button>
      </div>
      {editing ? (
        <>
          <label htmlFor={id} className="seg-visually-hidden">
            Definition as text
          </label>
          <textarea
            id={id}
            className="seg-textarea"
            value={text}
            spellCheck={false}
            rows={8}
            onChange={(e) => onText(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error ${id}-hint` : `${id}-hint`}
          />
          {error && (
            <p className="field-error" id={`${id}-error`} role="alert">
              {error}
            </p>
          )}
          <p className="hint" id={`${id}-hint`}>
            e.g. <code>performed "Order Completed" where revenue &gt; 100 within 30d and not trait plan = "free"</code>. The
            text is what is previewed and saved while you edit it here.
          </p>
        </>
      ) : (
        <pre className="seg-code" aria-label="Definition as text">
          {text || '—'}
        </pre>
      )}
    </section>
  )
}
