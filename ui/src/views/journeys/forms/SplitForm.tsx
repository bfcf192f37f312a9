import { ConditionField } from './ConditionField'
import { list, type BodyFormProps } from './formTypes'

/** A yes/no split on a segment-language condition, evaluated when the customer arrives. */
export function SplitForm({ body, set }: BodyFormProps) {
  return (
    <>
      <ConditionField label="Condition" value={body.condition} onChange={(v) => set('condition', v)} />
      <p className="hint">The yes and no steps are chosen below.</p>
    </>
  )
}

/** Ordered paths, each with a condition; the first that holds wins, else the else step. */
export function MultiSplitForm({ body, set }: BodyFormProps) {
  const paths = list(body.paths)
  return (
    <>
      {paths.map((p, i) => (
        <fieldset key={i} className="jr-group">
          <legend>Path {i + 1}</legend>
          <ConditionField label={`Path ${i + 1} condition`} value={p.condition} onChange={(v) => set(`paths[${i}].condition`, v)} />
          {paths.length > 1 && (
            <button type="button" className="button-secondary jr-small" onClick={() => set('paths', paths.filter((_, j) => j !== i))}>
              Remove path {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <button
        type="button"
        className="button-secondary jr-small"
        onClick={() => set('paths', [...paths, { condition: { trait: { path: '', op: 'exists' } }, next: '' }])}
      >
        Add a path
      </button>
    </>
  )
}
