import { Field } from '../../measurement/fields'
import { EVENTS_LIST } from '../../measurement/events'

interface Props {
  value: string
  onChange: (v: string) => void
  label?: string
}

/** An event name, with the common ones suggested. */
export function EventInput({ value, onChange, label = 'Event' }: Props) {
  return (
    <Field label={label} className="m-grow">
      {(a) => (
        <input
          {...a}
          type="text"
          list={EVENTS_LIST}
          autoComplete="off"
          value={value}
          placeholder="Order Completed"
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  )
}
