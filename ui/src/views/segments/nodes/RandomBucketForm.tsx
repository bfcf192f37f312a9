import { Field } from '../../measurement/fields'
import { LiteralInput } from '../parts/LiteralInput'
import type { RandomBucketCond } from '../types'
import { set } from './set'

interface Props {
  value: RandomBucketCond
  onChange: (c: RandomBucketCond) => void
}

const parsePercent = (t: string) => (t.trim() === '' ? NaN : Number(t))

/** random_bucket: a stable random share of profiles; the same salt always picks the same people. */
export function RandomBucketForm({ value, onChange }: Props) {
  return (
    <div className="seg-row">
      <Field label="Percent of profiles" hint="0 to 100, at most two decimals.">
        {(a) => (
          <LiteralInput
            {...a}
            inputMode="decimal"
            value={value.percent}
            parse={parsePercent}
            format={(v) => (Number.isNaN(v) ? '' : String(v))}
            onChange={(percent) => onChange({ ...value, percent })}
          />
        )}
      </Field>
      <Field label="Salt (optional)" hint="Use a new salt for an independent draw, e.g. “holdout-2026”." className="m-grow">
        {(a) => (
          <input
            {...a}
            type="text"
            autoComplete="off"
            value={value.salt ?? ''}
            onChange={(e) => onChange(set(value, 'salt', e.target.value))}
          />
        )}
      </Field>
    </div>
  )
}
