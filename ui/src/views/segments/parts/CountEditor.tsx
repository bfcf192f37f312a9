import { Field } from '../../measurement/fields'
import { LiteralInput } from './LiteralInput'
import type { Count } from '../types'

const COUNT_WORDS: ReadonlyArray<[string, string]> = [
  ['', 'at least once'],
  ['gte', 'at least'],
  ['gt', 'more than'],
  ['equals', 'exactly'],
  ['not_equals', 'not exactly'],
  ['lte', 'at most'],
  ['lt', 'fewer than'],
]

interface Props {
  count: Count | undefined
  onChange: (c: Count | undefined) => void
}

const parseCount = (t: string) => (t.trim() === '' ? NaN : Number(t))

/** How many times: at least once (the default, no count), or a comparison with a whole number; exactly 0 is "did not". */
export function CountEditor({ count, onChange }: Props) {
  return (
    <>
      <Field label="How many times">
        {(a) => (
          <select
            {...a}
            value={count?.op ?? ''}
            onChange={(e) => onChange(e.target.value ? { op: e.target.value, value: count?.value ?? 1 } : undefined)}
          >
            {COUNT_WORDS.map(([op, words]) => (
              <option key={op} value={op}>
                {words}
              </option>
            ))}
          </select>
        )}
      </Field>
      {count && (
        <Field label="Times" hint="Exactly 0 means “did not”.">
          {(a) => (
            <LiteralInput
              {...a}
              inputMode="numeric"
              value={count.value}
              parse={parseCount}
              format={(v) => (Number.isNaN(v) ? '' : String(v))}
              onChange={(value) => onChange({ ...count, value })}
            />
          )}
        </Field>
      )}
    </>
  )
}
