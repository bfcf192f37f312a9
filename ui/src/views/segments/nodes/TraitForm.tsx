import { Field } from '../../measurement/fields'
import { ALL_OPS } from '../ops'
import { TestEditor } from '../parts/TestEditor'
import type { TraitCond } from '../types'

interface Props {
  value: TraitCond
  onChange: (c: TraitCond) => void
}

/** trait: a profile trait by its dotted path, an operator (dates too) and a value. */
export function TraitForm({ value, onChange }: Props) {
  return (
    <div className="seg-row">
      <Field label="Trait" hint="A dotted path: plan, address.city, birthday" className="m-grow">
        {(a) => (
          <input
            {...a}
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={value.path}
            placeholder="address.city"
            onChange={(e) => onChange({ ...value, path: e.target.value })}
          />
        )}
      </Field>
      <TestEditor test={value} ops={ALL_OPS} onChange={onChange} />
    </div>
  )
}
