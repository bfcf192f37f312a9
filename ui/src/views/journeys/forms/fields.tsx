// The side panel's labelled controls. Each calls onChange with the new
// value; "" from a text field means "not set" to the caller.

import { useEffect, useId, useState, type ReactNode } from 'react'

interface Base {
  label: string
  hint?: ReactNode
  invalid?: boolean
}

export function TextField({ label, value, onChange, hint, invalid, placeholder, type = 'text' }: Base & {
  value: string
  onChange: (v: string) => void
  placeholder?: string
  type?: 'text' | 'time' | 'url'
}) {
  const id = useId()
  return (
    <div className="jr-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        placeholder={placeholder}
        aria-invalid={invalid || undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
    </div>
  )
}

export function NumberField({ label, value, onChange, hint }: Base & { value: number | undefined; onChange: (v: number | undefined) => void }) {
  const id = useId()
  return (
    <div className="jr-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
      {hint && <p className="hint">{hint}</p>}
    </div>
  )
}

export interface Option {
  value: string
  label: string
}

/** A select that always offers the current value, even when the lists do not know it. */
export function SelectField({ label, value, options, onChange, hint, invalid, none }: Base & {
  value: string
  options: Option[]
  onChange: (v: string) => void
  /** The label of the empty choice; without it there is none. */
  none?: string
}) {
  const id = useId()
  const all = value && !options.some((o) => o.value === value) ? [...options, { value, label: `${value} (unknown)` }] : options
  return (
    <div className="jr-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} aria-invalid={invalid || undefined} onChange={(e) => onChange(e.target.value)}>
        {none !== undefined && <option value="">{none}</option>}
        {all.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && <p className="hint">{hint}</p>}
    </div>
  )
}

export function CheckField({ label, checked, onChange }: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId()
  return (
    <div className="jr-check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  )
}

/**
 * JSON edited as text: the value changes only when the text parses; until
 * then the parse error shows under the field.
 */
export function JsonField({ label, value, onChange, hint, rows = 5 }: Base & { value: unknown; onChange: (v: unknown) => void; rows?: number }) {
  const id = useId()
  const pretty = value === undefined ? '' : JSON.stringify(value, null, 2)
  const [text, setText] = useState(pretty)
  const [error, setError] = useState('')
  useEffect(() => {
    setText((t) => (sameJson(t, value) ? t : pretty))
  }, [pretty, value])
  return (
    <div className="jr-field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="jr-json"
        rows={rows}
        spellCheck={false}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-msg`}
        onChange={(e) => {
          setText(e.target.value)
          try {
            const v: unknown = e.target.value.trim() === '' ? undefined : JSON.parse(e.target.value)
            setError('')
            onChange(v)
          } catch (err) {
            setError(`Not valid JSON yet: ${(err as Error).message}`)
          }
        }}
      />
      <p id={`${id}-msg`} className={error ? 'field-error' : 'hint'}>
        {error || hint}
      </p>
    </div>
  )
}

function sameJson(text: string, value: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value)
  } catch {
    return false
  }
}
