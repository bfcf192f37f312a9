import { useId, type ReactNode } from 'react'
import { ApiError, errorMessage } from '../../api'

/** What a labelled control needs to be tied to its hint and error. */
export interface FieldA11y {
  id: string
  'aria-invalid'?: true
  'aria-describedby'?: string
}

interface FieldProps {
  label: string
  error?: string | undefined
  hint?: ReactNode
  className?: string
  children: (a11y: FieldA11y) => ReactNode
}

/** A label, its control, a hint and the API's error about that control, announced. */
export function Field({ label, error, hint, className, children }: FieldProps) {
  const id = useId()
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ')
  const a11y: FieldA11y = { id }
  if (error) a11y['aria-invalid'] = true
  if (describedBy) a11y['aria-describedby'] = describedBy
  return (
    <div className={className ? `m-field ${className}` : 'm-field'}>
      <label htmlFor={id}>{label}</label>
      {children(a11y)}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  )
}

/**
 * The request field an error is about: the API's field when it names one,
 * else read from the message of the analyses' validation errors, which say
 * "…: window 0s must be positive…" or "…(step 2)" without a field.
 */
export function errorField(err: unknown, names: readonly string[]): string | undefined {
  if (err instanceof ApiError && err.field) return err.field
  if (!(err instanceof ApiError)) return undefined
  const step = /\bstep (\d+)\b/.exec(err.message)
  if (step && names.includes(`steps[${Number(step[1]) - 1}]`)) return `steps[${Number(step[1]) - 1}]`
  const rest = err.message.slice(err.message.indexOf(': ') + 2)
  const word = /^(?:a |an )?([a-z_]+)/.exec(rest)?.[1]
  if (word && names.includes(word)) return word
  if (/\bbreakdown\b/.test(rest) && names.includes('breakdown')) return 'breakdown'
  return undefined
}

/** Whether an error about field concerns the control named name (itself or a part of it). */
export function concerns(field: string | undefined, name: string): boolean {
  return !!field && (field === name || field.startsWith(`${name}.`) || field.startsWith(`${name}[`))
}

export interface FieldErrors {
  /** The message to show next to the control named name. */
  of: (name: string) => string | undefined
  /** The message when no control shown is concerned (shown by the Run button). */
  general: string | undefined
}

/** Routes an error to the control it concerns among names, else to the form. */
export function fieldErrors(err: unknown, names: readonly string[]): FieldErrors {
  if (!err) return { of: () => undefined, general: undefined }
  const field = errorField(err, names)
  const msg = errorMessage(err)
  const owner = names.find((n) => concerns(field, n))
  return { of: (name) => (owner === name ? msg : undefined), general: owner ? undefined : msg }
}
