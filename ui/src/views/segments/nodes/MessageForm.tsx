import { Field } from '../../measurement/fields'
import { MESSAGE_EVENTS } from '../ops'
import { CountEditor } from '../parts/CountEditor'
import { WindowEditor } from '../parts/WindowEditor'
import type { MessageCond } from '../types'
import { set } from './set'

interface Props {
  value: MessageCond
  onChange: (c: MessageCond) => void
}

const OPTIONAL = [
  ['channel', 'Channel (optional)', 'email'],
  ['template', 'Template (optional)', 'welcome'],
  ['journey', 'Journey (optional)', 'onboarding'],
] as const

/** message: engagement with Cairn's own messages (evaluated once journeys exist). */
export function MessageForm({ value, onChange }: Props) {
  return (
    <div className="seg-row">
      <Field label="Message was">
        {(a) => (
          <select {...a} value={value.event} onChange={(e) => onChange({ ...value, event: e.target.value })}>
            {MESSAGE_EVENTS.map((ev) => (
              <option key={ev} value={ev}>
                {ev}
              </option>
            ))}
          </select>
        )}
      </Field>
      {OPTIONAL.map(([key, label, example]) => (
        <Field key={key} label={label}>
          {(a) => (
            <input
              {...a}
              type="text"
              autoComplete="off"
              value={value[key] ?? ''}
              placeholder={example}
              onChange={(e) => onChange(set(value, key, e.target.value))}
            />
          )}
        </Field>
      ))}
      <CountEditor count={value.count} onChange={(c) => onChange(set(value, 'count', c))} />
      <WindowEditor window={value.window} onChange={(w) => onChange(set(value, 'window', w))} />
    </div>
  )
}
