import { Field } from '../../measurement/fields'
import { ALL_OPS } from '../ops'
import type { Filter } from '../types'
import { TestEditor } from './TestEditor'

interface Props {
  /** "where" or "has": the legend says what the filters do. */
  legend: string
  filters: Filter[] | undefined
  /** The list, or undefined when the last filter is removed (the key is then left out). */
  onChange: (fs: Filter[] | undefined) => void
  /** Names the controls: "Filter" gives "Filter 1 property". */
  noun?: string
}

/** The field a filter tests as typed: context.x for a context field; properties.context.x for a property named context.x. */
export function filterPath(f: Filter): string {
  if (f.context !== undefined) return `context.${f.context}`
  const p = f.property ?? ''
  return /^(context|properties)\./.test(p) ? `properties.${p}` : p
}

/** A filter with its field set from what was typed (the text form's rule). */
export function withPath(f: Filter, path: string): Filter {
  const { property: _p, context: _c, ...test } = f
  if (path.startsWith('context.')) return { context: path.slice('context.'.length), ...test }
  return { property: path.replace(/^properties\./, ''), ...test }
}

/** Event property filters: each a field, an operator and a value; add and remove. */
export function FilterList({ legend, filters = [], onChange, noun = 'Filter' }: Props) {
  const set = (i: number, f: Filter) => onChange(filters.map((x, j) => (j === i ? f : x)))
  const remove = (i: number) => {
    const rest = filters.filter((_, j) => j !== i)
    onChange(rest.length ? rest : undefined)
  }
  return (
    <fieldset className="seg-filters">
      <legend>{legend}</legend>
      {filters.map((f, i) => (
        <div key={i} className="seg-row seg-filter">
          <Field label={`${noun} ${i + 1} field`} hint={i === 0 ? 'A property (revenue) or context.campaign.source' : undefined}>
            {(a) => (
              <input
                {...a}
                type="text"
                autoComplete="off"
                spellCheck={false}
                value={filterPath(f)}
                placeholder="revenue"
                onChange={(e) => set(i, withPath(f, e.target.value))}
              />
            )}
          </Field>
          <TestEditor prefix={`${noun} ${i + 1}`} test={f} ops={ALL_OPS} onChange={(t) => set(i, t)} />
          <button type="button" className="button-secondary seg-inline-button" onClick={() => remove(i)}>
            Remove {noun.toLowerCase()} {i + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button-secondary"
        onClick={() => onChange([...filters, { property: '', op: 'equals', value: '' }])}
      >
        Add {noun.toLowerCase()}
      </button>
    </fieldset>
  )
}
