import { Field } from '../../measurement/fields'
import type { Window } from '../types'
import { DateInput } from './DateInput'
import { DurationInput } from './DurationInput'

type Mode = 'all' | 'within' | 'relative' | 'absolute'

export function windowMode(w: Window | undefined): Mode {
  if (!w) return 'all'
  if (w.within !== undefined) return 'within'
  if (w.from_ago !== undefined || w.to_ago !== undefined) return 'relative'
  return 'absolute'
}

const START: Record<Mode, Window | undefined> = {
  all: undefined,
  within: { within: '30d' },
  relative: { from_ago: '60d', to_ago: '30d' },
  absolute: { after: '' },
}

interface Props {
  window: Window | undefined
  onChange: (w: Window | undefined) => void
  label?: string
}

/** When events count: all time, within the last D, between two points back in time, or between dates. */
export function WindowEditor({ window: w, onChange, label = 'When' }: Props) {
  const mode = windowMode(w)
  const date = (key: 'after' | 'before', v: string) => {
    const next: Window = { ...w, [key]: v }
    if (!v) delete next[key]
    onChange(Object.keys(next).length ? next : { after: '' })
  }
  return (
    <>
      <Field label={label}>
        {(a) => (
          <select {...a} value={mode} onChange={(e) => onChange(START[e.target.value as Mode])}>
            <option value="all">any time</option>
            <option value="within">in the last</option>
            <option value="relative">between … ago</option>
            <option value="absolute">between dates</option>
          </select>
        )}
      </Field>
      {mode === 'within' && (
        <Field label="In the last">
          {(a) => <DurationInput {...a} unitLabel="In the last (unit)" value={w?.within} onChange={(within) => onChange({ within })} />}
        </Field>
      )}
      {mode === 'relative' && (
        <>
          <Field label="From (ago)">
            {(a) => <DurationInput {...a} unitLabel="From (unit)" value={w?.from_ago} onChange={(v) => onChange({ ...w, from_ago: v })} />}
          </Field>
          <Field label="To (ago)" hint="From is further back than to.">
            {(a) => <DurationInput {...a} unitLabel="To (unit)" value={w?.to_ago} onChange={(v) => onChange({ ...w, to_ago: v })} />}
          </Field>
        </>
      )}
      {mode === 'absolute' && (
        <>
          <Field label="On or after">{(a) => <DateInput {...a} value={w?.after} onChange={(v) => date('after', v)} />}</Field>
          <Field label="Before" hint="Either date may be left empty.">
            {(a) => <DateInput {...a} value={w?.before} onChange={(v) => date('before', v)} />}
          </Field>
        </>
      )}
    </>
  )
}
