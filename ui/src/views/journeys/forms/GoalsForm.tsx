import { isObject, type Json } from '../types'
import { CheckField, SelectField, TextField } from './fields'
import { list, opt, str } from './formTypes'
import type { Refs } from './formTypes'

interface Props {
  value: unknown
  onChange: (v: Json[] | undefined) => void
  refs: Refs
}

const put = (items: Json[], i: number, item: Json) => items.map((x, j) => (j === i ? item : x))

/** The journey's goals: an event within a window of entering; by default reaching one ends the journey. */
export function GoalsForm({ value, onChange }: Props) {
  const goals = list(value)
  const save = (next: Json[]) => onChange(next.length ? next : undefined)
  return (
    <>
      {goals.map((g, i) => {
        const ev = isObject(g.event) ? g.event : {}
        return (
          <fieldset key={i} className="jr-group">
            <legend>Goal {i + 1}</legend>
            <TextField label={`Goal ${i + 1} id`} value={str(g.id)} onChange={(v) => save(put(goals, i, { ...g, id: v }))} />
            <TextField label={`Goal ${i + 1} event`} value={str(ev.name)} onChange={(v) => save(put(goals, i, { ...g, event: { ...ev, name: v } }))} placeholder="Order Completed" />
            <TextField label={`Goal ${i + 1} within`} value={str(g.within)} onChange={(v) => save(put(goals, i, { ...g, within: opt(v) }))} hint="e.g. 14d; empty: any time in the journey" />
            <CheckField label="Keep the customer in the journey after it" checked={g.continue === true} onChange={(v) => save(put(goals, i, { ...g, continue: v || undefined }))} />
            <button type="button" className="button-secondary jr-small" onClick={() => save(goals.filter((_, j) => j !== i))}>
              Remove goal {i + 1}
            </button>
          </fieldset>
        )
      })}
      <button type="button" className="button-secondary jr-small" onClick={() => save([...goals, { id: `goal-${goals.length + 1}`, event: { name: '' } }])}>
        Add a goal
      </button>
    </>
  )
}

/** Exit criteria: an event or a segment change that removes the customer at once, wherever they wait. */
export function ExitCriteriaForm({ value, onChange, refs }: Props) {
  const items = list(value)
  const save = (next: Json[]) => onChange(next.length ? next : undefined)
  return (
    <>
      {items.map((x, i) => {
        const bySegment = isObject(x.segment)
        const seg = isObject(x.segment) ? x.segment : {}
        const ev = isObject(x.event) ? x.event : {}
        return (
          <fieldset key={i} className="jr-group">
            <legend>Exit criterion {i + 1}</legend>
            <SelectField
              label={`Criterion ${i + 1}: leave on`}
              value={bySegment ? 'segment' : 'event'}
              options={[{ value: 'event', label: 'An event' }, { value: 'segment', label: 'A segment change' }]}
              onChange={(v) => save(put(items, i, v === 'segment' ? { segment: { id: '' } } : { event: { name: '' } }))}
            />
            {bySegment ? (
              <>
                <SelectField label={`Criterion ${i + 1}: segment`} value={str(seg.id)} none="Choose a segment"
                  options={refs.segments.map((s) => ({ value: s.id, label: s.name || s.id }))} onChange={(v) => save(put(items, i, { ...x, segment: { ...seg, id: v } }))} />
                <SelectField label={`Criterion ${i + 1}: when the customer`} value={str(seg.on)}
                  options={[{ value: '', label: 'enters it' }, { value: 'exit', label: 'leaves it' }]} onChange={(v) => save(put(items, i, { ...x, segment: { ...seg, on: opt(v) } }))} />
              </>
            ) : (
              <TextField label={`Criterion ${i + 1}: event`} value={str(ev.name)} onChange={(v) => save(put(items, i, { ...x, event: { ...ev, name: v } }))} placeholder="Unsubscribed" />
            )}
            <button type="button" className="button-secondary jr-small" onClick={() => save(items.filter((_, j) => j !== i))}>
              Remove criterion {i + 1}
            </button>
          </fieldset>
        )
      })}
      <button type="button" className="button-secondary jr-small" onClick={() => save([...items, { event: { name: '' } }])}>
        Add an exit criterion
      </button>
    </>
  )
}
