import { useId } from 'react'

interface Props {
  label: string
  value: string
  onChange: (v: string) => void
  rows?: number
  hint?: string
  /** A save error (validation) about this part. */
  error?: string | undefined
  /** The preview's render error for this part. */
  renderError?: string | undefined
}

/** One Liquid part of a template: a labelled monospace textarea with its errors under it. */
export function PartField({ label, value, onChange, rows = 4, hint, error, renderError }: Props) {
  const id = useId()
  const errId = `${id}-err`
  const renderId = `${id}-render`
  const hintId = `${id}-hint`
  const described = [hint && hintId, error && errId, renderError && renderId].filter(Boolean).join(' ') || undefined
  return (
    <div className="tpl-field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="tpl-code"
        rows={rows}
        spellCheck={false}
        value={value}
        aria-invalid={error || renderError ? true : undefined}
        aria-describedby={described}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errId}>
          {error}
        </p>
      )}
      {renderError && (
        <p className="field-error tpl-render-error" id={renderId}>
          Preview: {renderError}
        </p>
      )}
    </div>
  )
}
