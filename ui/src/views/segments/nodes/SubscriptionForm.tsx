import { Field } from '../../measurement/fields'
import { SUBSCRIPTION_STATES } from '../ops'
import type { SubscriptionCond } from '../types'

interface Props {
  value: SubscriptionCond
  onChange: (c: SubscriptionCond) => void
}

/** subscription: a consent state for a subscription group (evaluated once journeys exist). */
export function SubscriptionForm({ value, onChange }: Props) {
  return (
    <div className="seg-row">
      <Field label="Subscription group" className="m-grow">
        {(a) => (
          <input {...a} type="text" autoComplete="off" value={value.group} placeholder="newsletter" onChange={(e) => onChange({ ...value, group: e.target.value })} />
        )}
      </Field>
      <Field label="State">
        {(a) => (
          <select {...a} value={value.state} onChange={(e) => onChange({ ...value, state: e.target.value })}>
            {SUBSCRIPTION_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  )
}
