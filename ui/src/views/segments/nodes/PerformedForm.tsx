import { CountEditor } from '../parts/CountEditor'
import { FilterList } from '../parts/FilterList'
import { WindowEditor } from '../parts/WindowEditor'
import type { PerformedCond } from '../types'
import { EventInput } from './EventInput'
import { set } from './set'

interface Props {
  value: PerformedCond
  onChange: (c: PerformedCond) => void
}

/** performed: an event, its property filters, how many times, and when. */
export function PerformedForm({ value, onChange }: Props) {
  return (
    <>
      <div className="seg-row">
        <EventInput value={value.event} onChange={(event) => onChange({ ...value, event })} />
        <CountEditor count={value.count} onChange={(c) => onChange(set(value, 'count', c))} />
        <WindowEditor window={value.window} onChange={(w) => onChange(set(value, 'window', w))} />
      </div>
      <FilterList legend="Where the event’s properties match" filters={value.where} onChange={(fs) => onChange(set(value, 'where', fs))} />
    </>
  )
}
