import { EVENTS_LIST } from '../events'
import { Field } from '../fields'
import { NO_FILTER, OPS, type FilterForm, type Op } from '../requestParts'
import type { StepForm } from './request'

interface Props {
  steps: StepForm[]
  onChange: (steps: StepForm[]) => void
  errorOf: (name: string) => string | undefined
}

/** The funnel's steps: an event each, an optional property filter, add and remove. */
export function StepsEditor({ steps, onChange, errorOf }: Props) {
  const set = (i: number, s: StepForm) => onChange(steps.map((x, j) => (j === i ? s : x)))
  const setFilter = (i: number, st: StepForm, f: Partial<FilterForm>) => set(i, { ...st, filter: { ...st.filter, ...f } })
  return (
    <div className="m-steps">
      {steps.map((st, i) => (
        <fieldset key={i} className="m-step">
          <legend>Step {i + 1}</legend>
          <Field label="Event" error={errorOf(`steps[${i}]`)} className="m-grow">
            {(a) => (
              <input
                {...a}
                list={EVENTS_LIST}
                value={st.event}
                onChange={(e) => set(i, { ...st, event: e.target.value })}
                placeholder="Order Completed"
                autoComplete="off"
              />
            )}
          </Field>
          <Field label="Where property (optional)">
            {(a) => (
              <input
                {...a}
                value={st.filter.property}
                onChange={(e) => setFilter(i, st, { property: e.target.value })}
                placeholder="revenue or context.campaign.medium"
                autoComplete="off"
              />
            )}
          </Field>
          <Field label="Operator">
            {(a) => (
              <select {...a} value={st.filter.op} onChange={(e) => setFilter(i, st, { op: e.target.value as Op })}>
                {OPS.map(([op, text]) => (
                  <option key={op} value={op}>
                    {text}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Value">
            {(a) => (
              <input
                {...a}
                value={st.filter.value}
                onChange={(e) => setFilter(i, st, { value: e.target.value })}
                placeholder='100, "gold", a, b'
                disabled={st.filter.op === 'exists' || st.filter.op === 'not_exists'}
                autoComplete="off"
              />
            )}
          </Field>
          <button
            type="button"
            className="button-secondary m-step-remove"
            onClick={() => onChange(steps.filter((_, j) => j !== i))}
            disabled={steps.length <= 1}
            aria-label={`Remove step ${i + 1}`}
          >
            Remove
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="button-secondary"
        onClick={() => onChange([...steps, { event: '', filter: NO_FILTER }])}
        disabled={steps.length >= 20}
      >
        Add step
      </button>
      <p className="hint">
        Numbers and true/false are compared as such; put text in "quotes" to compare it as text. "is one of" and
        "between" take values separated by commas.
      </p>
    </div>
  )
}
