import { DATE_OPS } from '../ops'
import { FilterList } from '../parts/FilterList'
import { TestEditor } from '../parts/TestEditor'
import type { EdgeCond, Test } from '../types'
import { EventInput } from './EventInput'
import { set } from './set'

interface Props {
  value: EdgeCond
  onChange: (c: EdgeCond) => void
  /** first_performed or last_performed, for the words. */
  which: 'first' | 'last'
}

/** first_performed / last_performed: the earliest or latest such event, what it has, and when it happened. */
export function EdgeForm({ value, onChange, which }: Props) {
  const time = value.time
  return (
    <>
      <div className="seg-row">
        <EventInput value={value.event} onChange={(event) => onChange({ ...value, event })} />
        {time ? (
          <TestEditor prefix="Time" test={time} ops={DATE_OPS} onChange={(t: Test) => onChange({ ...value, time: t })} />
        ) : null}
        <label className="m-check seg-check">
          <input
            type="checkbox"
            checked={!!time}
            onChange={(e) => onChange(set(value, 'time', e.target.checked ? { op: 'within_last', value: '30d' } : undefined))}
          />
          Test when it happened
        </label>
      </div>
      <FilterList
        legend={`Which events count (the ${which} one among them is taken)`}
        filters={value.where}
        onChange={(fs) => onChange(set(value, 'where', fs))}
      />
      <FilterList
        legend={`What the ${which} one must have`}
        noun="Has filter"
        filters={value.has}
        onChange={(fs) => onChange(set(value, 'has', fs))}
      />
    </>
  )
}
