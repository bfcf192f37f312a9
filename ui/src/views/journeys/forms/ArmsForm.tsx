import { isObject, type Json } from '../types'
import { CheckField, NumberField, TextField } from './fields'
import { list, str, type BodyFormProps } from './formTypes'

function Arms({ arms, field, set, noun }: { arms: Json[]; field: string; set: BodyFormProps['set']; noun: string }) {
  return (
    <>
      {arms.map((a, i) => (
        <fieldset key={i} className="jr-group jr-arm">
          <legend>
            {noun} {i + 1}
          </legend>
          <TextField label={`${noun} ${i + 1} name`} value={str(a.id)} onChange={(v) => set(`${field}[${i}].id`, v || undefined)} />
          <NumberField
            label={`${noun} ${i + 1} percent`}
            value={typeof a.percent === 'number' ? a.percent : undefined}
            onChange={(v) => set(`${field}[${i}].percent`, v ?? 0)}
          />
          {arms.length > 1 && (
            <button type="button" className="button-secondary jr-small" onClick={() => set(field, arms.filter((_, j) => j !== i))}>
              Remove {noun.toLowerCase()} {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <button
        type="button"
        className="button-secondary jr-small"
        onClick={() => set(field, [...arms, { id: String.fromCharCode(65 + arms.length), percent: 0, next: '' }])}
      >
        Add a {noun.toLowerCase()}
      </button>
    </>
  )
}

function Total({ parts }: { parts: unknown[] }) {
  const total = parts.reduce<number>((s, p) => s + (isObject(p) && typeof p.percent === 'number' ? p.percent : 0), 0)
  const ok = Math.abs(total - 100) < 1e-9
  return (
    <p className={ok ? 'hint' : 'field-error'} role="status">
      Total {total}%{ok ? '' : ' — the percentages must add up to 100'}
    </p>
  )
}

/** A random split: arms with percentages (sticky per customer). */
export function RandomSplitForm({ body, set }: BodyFormProps) {
  const paths = list(body.paths)
  return (
    <>
      <Arms arms={paths} field="paths" set={set} noun="Path" />
      <Total parts={paths} />
    </>
  )
}

/** An experiment: variants and an optional control with percentages, the metric and window, and auto-winner. */
export function ExperimentForm({ body, set }: BodyFormProps) {
  const variants = list(body.variants)
  const control = isObject(body.control) ? body.control : undefined
  return (
    <>
      <Arms arms={variants} field="variants" set={set} noun="Variant" />
      <CheckField
        label="Hold out a control group"
        checked={!!control}
        onChange={(on) => set('control', on ? { id: 'control', percent: 10, next: '' } : undefined)}
      />
      {control && (
        <NumberField
          label="Control percent"
          value={typeof control.percent === 'number' ? control.percent : undefined}
          onChange={(v) => set('control.percent', v ?? 0)}
        />
      )}
      <Total parts={[...variants, control]} />
      <TextField label="Conversion event (metric)" value={str(body.metric)} onChange={(v) => set('metric', v || undefined)} placeholder="Order Completed" />
      <TextField label="Window" value={str(body.window)} onChange={(v) => set('window', v || undefined)} hint="How long after entering a conversion counts, e.g. 7d" />
      <CheckField label="Send everyone to the winner once the window has passed" checked={body.auto_winner === true} onChange={(v) => set('auto_winner', v || undefined)} />
    </>
  )
}
