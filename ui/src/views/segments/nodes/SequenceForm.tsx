import { Field } from '../../measurement/fields'
import { DurationInput } from '../parts/DurationInput'
import { FilterList } from '../parts/FilterList'
import type { SequenceCond, Step } from '../types'
import { EventInput } from './EventInput'
import { set } from './set'

interface Props {
  value: SequenceCond
  onChange: (c: SequenceCond) => void
}

const MAX_STEPS = 16

/** sequence: events in order, some negated ("and then did not…"), all within a span. */
export function SequenceForm({ value, onChange }: Props) {
  const steps = value.steps
  const setSteps = (next: Step[]) => onChange({ ...value, steps: next })
  const setStep = (i: number, s: Step) => setSteps(steps.map((x, j) => (j === i ? s : x)))
  const move = (i: number, d: -1 | 1) => {
    const next = [...steps]
    ;[next[i], next[i + d]] = [next[i + d] as Step, next[i] as Step]
    setSteps(next)
  }
  return (
    <>
      <ol className="seg-steps">
        {steps.map((s, i) => (
          <li key={i}>
            <fieldset className="seg-step">
              <legend>
                Step {i + 1}
                {s.not ? ': did not happen' : ''}
              </legend>
              <div className="seg-row">
                {i > 0 && (
                  <label className="m-check seg-check">
                    <input type="checkbox" checked={!!s.not} onChange={(e) => setStep(i, set(s, 'not', e.target.checked || undefined))} />
                    Did not happen (step {i + 1})
                  </label>
                )}
                <EventInput label={`Step ${i + 1} event`} value={s.event} onChange={(event) => setStep(i, { ...s, event })} />
                <div className="seg-step-actions">
                  <button type="button" className="button-secondary" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move step ${i + 1} up`}>
                    ↑
                  </button>
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={i === steps.length - 1}
                    onClick={() => move(i, 1)}
                    aria-label={`Move step ${i + 1} down`}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={steps.length <= 2}
                    onClick={() => setSteps(steps.filter((_, j) => j !== i))}
                    aria-label={`Remove step ${i + 1}`}
                  >
                    Remove
                  </button>
                </div>
              </div>
              <FilterList
                legend={`Step ${i + 1}: where the event’s properties match`}
                noun={`Step ${i + 1} filter`}
                filters={s.where}
                onChange={(fs) => setStep(i, set(s, 'where', fs))}
              />
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="seg-row">
        <button
          type="button"
          className="button-secondary"
          disabled={steps.length >= MAX_STEPS}
          onClick={() => setSteps([...steps, { event: '' }])}
        >
          Add step
        </button>
        <label className="m-check seg-check">
          <input type="checkbox" checked={value.within !== undefined} onChange={(e) => onChange(set(value, 'within', e.target.checked ? '7d' : undefined))} />
          All within a time span
        </label>
        {value.within !== undefined && (
          <Field label="Within" hint="From the first step; a last “did not” step holds once it has passed.">
            {(a) => <DurationInput {...a} unitLabel="Within (unit)" value={value.within} onChange={(within) => onChange({ ...value, within })} />}
          </Field>
        )}
      </div>
    </>
  )
}
