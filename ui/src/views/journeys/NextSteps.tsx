import type { Slot } from './graph'
import { SelectField } from './forms/fields'

interface Props {
  slots: Slot[]
  /** Every node id the slots may point at. */
  targets: string[]
  onConnect: (slot: string, target: string) => void
}

/** The keyboard way to connect: a select per outgoing branch of the step. */
export function NextSteps({ slots, targets, onConnect }: Props) {
  if (slots.length === 0) return null
  return (
    <fieldset className="jr-group">
      <legend>Next steps</legend>
      {slots.map((s) => (
        <SelectField
          key={s.path}
          label={s.label ? `Then, on ${s.label}` : 'Then'}
          value={s.target}
          none={s.path === 'next' ? 'Nothing: the journey ends here' : 'Not connected'}
          options={targets.map((t) => ({ value: t, label: t }))}
          onChange={(v) => onConnect(s.path, v)}
        />
      ))}
    </fieldset>
  )
}
