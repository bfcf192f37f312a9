import { isObject } from '../types'
import { SelectField, TextField } from './fields'
import { str, type BodyFormProps } from './formTypes'

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
type Mode = 'duration' | 'until' | 'until_trait'

const MODES = [
  { value: 'duration', label: 'For a while' },
  { value: 'until', label: 'Until a time of day (customer’s zone)' },
  { value: 'until_trait', label: 'Until a date on the profile' },
]

/** A delay: a duration, the next local time of day (on some weekdays), or a date trait ± an offset. */
export function DelayForm({ body, set }: BodyFormProps) {
  const mode: Mode = isObject(body.until) ? 'until' : isObject(body.until_trait) ? 'until_trait' : 'duration'
  const until = isObject(body.until) ? body.until : {}
  const trait = isObject(body.until_trait) ? body.until_trait : {}
  const days = Array.isArray(until.days) ? (until.days as string[]) : []
  const switchTo = (m: string) => {
    for (const k of ['duration', 'until', 'until_trait']) if (k !== m) set(k, undefined)
    set(m, m === 'duration' ? '1d' : m === 'until' ? { time: '09:00' } : { path: 'birthday', offset: '' })
  }
  return (
    <>
      <SelectField label="Wait" value={mode} options={MODES} onChange={switchTo} />
      {mode === 'duration' && (
        <TextField label="Duration" value={str(body.duration)} onChange={(v) => set('duration', v)} hint="e.g. 30m, 12h, 2d, 1w" />
      )}
      {mode === 'until' && (
        <>
          <TextField label="Time of day" type="time" value={str(until.time)} onChange={(v) => set('until.time', v)} hint="The next such time in the customer’s time zone." />
          <fieldset className="jr-days">
            <legend>Only on (none: every day)</legend>
            {DAYS.map((d) => (
              <label key={d} className="jr-day">
                <input
                  type="checkbox"
                  checked={days.includes(d)}
                  onChange={(e) => {
                    const next = e.target.checked ? DAYS.filter((x) => x === d || days.includes(x)) : days.filter((x) => x !== d)
                    set('until.days', next.length ? next : undefined)
                  }}
                />
                {d}
              </label>
            ))}
          </fieldset>
        </>
      )}
      {mode === 'until_trait' && (
        <>
          <TextField label="Date trait" value={str(trait.path)} onChange={(v) => set('until_trait.path', v)} hint="e.g. birthday, subscription.renews_at" />
          <TextField label="Offset" value={str(trait.offset)} onChange={(v) => set('until_trait.offset', v || undefined)} hint="e.g. -1d for the day before; empty for the moment itself" />
        </>
      )}
    </>
  )
}
