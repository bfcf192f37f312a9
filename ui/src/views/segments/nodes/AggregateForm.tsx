import { Field } from '../../measurement/fields'
import { AGG_FNS, AGG_LABEL, NUMERIC_AGG_OPS, NUMERIC_FNS, VALUE_AGG_OPS, withOp } from '../ops'
import { FilterList } from '../parts/FilterList'
import { TestEditor } from '../parts/TestEditor'
import { WindowEditor } from '../parts/WindowEditor'
import type { AggregateCond } from '../types'
import { EventInput } from './EventInput'
import { set } from './set'

interface Props {
  value: AggregateCond
  onChange: (c: AggregateCond) => void
}

/** aggregate: a function over a property of the matching events in a window, compared with a value. */
export function AggregateForm({ value, onChange }: Props) {
  const numeric = NUMERIC_FNS.includes(value.fn)
  const ops = numeric ? NUMERIC_AGG_OPS : VALUE_AGG_OPS
  function setFn(fn: string) {
    let next: AggregateCond = { ...value, fn }
    if (fn === 'count') delete next.property
    else if (!next.property) next.property = 'revenue'
    const allowed = NUMERIC_FNS.includes(fn) ? NUMERIC_AGG_OPS : VALUE_AGG_OPS
    if (!allowed.includes(next.op)) next = withOp(next, 'gte')
    onChange(next)
  }
  return (
    <>
      <div className="seg-row">
        <Field label="Function">
          {(a) => (
            <select {...a} value={value.fn} onChange={(e) => setFn(e.target.value)}>
              {AGG_FNS.map((fn) => (
                <option key={fn} value={fn}>
                  {AGG_LABEL[fn]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {value.fn !== 'count' && (
          <Field label="Property">
            {(a) => (
              <input
                {...a}
                type="text"
                autoComplete="off"
                spellCheck={false}
                value={value.property ?? ''}
                placeholder="revenue"
                onChange={(e) => onChange({ ...value, property: e.target.value })}
              />
            )}
          </Field>
        )}
        <EventInput label="Of event" value={value.event} onChange={(event) => onChange({ ...value, event })} />
        <WindowEditor window={value.window} onChange={(w) => onChange(set(value, 'window', w))} />
      </div>
      <div className="seg-row">
        <TestEditor prefix="Result" test={value} ops={ops} onChange={onChange} />
      </div>
      <FilterList legend="Only events whose properties match" filters={value.where} onChange={(fs) => onChange(set(value, 'where', fs))} />
    </>
  )
}
