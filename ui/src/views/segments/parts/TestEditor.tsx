import { Field } from '../../measurement/fields'
import { OP_LABEL, OPERAND, withOp } from '../ops'
import type { Test } from '../types'
import { ValueInput } from './ValueInput'

interface Props<T extends Test> {
  test: T
  ops: readonly string[]
  onChange: (t: T) => void
  /** Words before the labels, e.g. "Filter 1" gives "Filter 1 operator". */
  prefix?: string
}

const HINTS: Record<string, string> = {
  scalar: 'Numbers and true/false as such; "quote" text that looks like a number.',
  list: 'Separate values with commas.',
  regex: 'A pattern (RE2), unanchored: use ^…$ to match the whole value.',
  time: 'A day (midnight UTC) or an RFC 3339 time.',
}

/** An operator and the literal it takes (and, for anniversaries, the time zone). */
export function TestEditor<T extends Test>({ test, ops, onChange, prefix }: Props<T>) {
  const name = (s: string) => (prefix ? `${prefix} ${s.toLowerCase()}` : s)
  const operand = OPERAND[test.op]
  return (
    <>
      <Field label={name('Operator')}>
        {(a) => (
          <select {...a} value={test.op} onChange={(e) => onChange(withOp(test, e.target.value))}>
            {(ops.includes(test.op) ? ops : [test.op, ...ops]).map((op) => (
              <option key={op} value={op}>
                {OP_LABEL[op] ?? op}
              </option>
            ))}
          </select>
        )}
      </Field>
      {operand !== 'none' && (
        <Field label={name('Value')} hint={HINTS[operand ?? '']} className="m-grow">
          {(a) => <ValueInput {...a} label={name('Value')} op={test.op} value={test.value} onChange={(value) => onChange({ ...test, value })} />}
        </Field>
      )}
      {test.op === 'day_of_year' && (
        <Field label={name('Time zone')} hint="Whose “today”: an IANA name; empty is UTC.">
          {(a) => (
            <input
              {...a}
              type="text"
              value={test.tz ?? ''}
              placeholder="Europe/Paris"
              onChange={(e) => {
                const { tz: _tz, ...rest } = test
                onChange(e.target.value ? { ...test, tz: e.target.value } : (rest as T))
              }}
            />
          )}
        </Field>
      )}
    </>
  )
}
