import { durationParts, UNITS } from '../literals'

interface Props {
  id?: string
  value: string | undefined
  onChange: (v: string) => void
  /** Names the unit menu for screen readers, e.g. "Within unit". */
  unitLabel: string
  'aria-invalid'?: true
  'aria-describedby'?: string
}

/** A duration as a number and a unit ("30" "days" → "30d"). */
export function DurationInput({ value, onChange, unitLabel, ...a11y }: Props) {
  const { amount, unit } = durationParts(value)
  return (
    <span className="seg-duration">
      <input
        {...a11y}
        type="number"
        min={1}
        step={1}
        inputMode="numeric"
        value={amount}
        onChange={(e) => onChange(`${e.target.value}${unit}`)}
      />
      <select aria-label={unitLabel} value={unit} onChange={(e) => onChange(`${amount}${e.target.value}`)}>
        {UNITS.map(([u, words]) => (
          <option key={u} value={u}>
            {words}
          </option>
        ))}
      </select>
    </span>
  )
}
