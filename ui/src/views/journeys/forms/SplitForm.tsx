import { conditionText } from '../summary'
import { JsonField } from './fields'
import { list, type BodyFormProps } from './formTypes'

const HINT = (
  <>
    The segment language as JSON, e.g. <code>{'{"trait":{"path":"vip","op":"equals","value":true}}'}</code> or{' '}
    <code>{'{"in_segment":{"match":"any","ids":["buyers"]}}'}</code>. The yes and no steps are chosen below.
  </>
)

/** A yes/no split on a segment-language condition, evaluated when the customer arrives. */
export function SplitForm({ body, set }: BodyFormProps) {
  return (
    <>
      <JsonField label="Condition" value={body.condition} onChange={(v) => set('condition', v)} hint={HINT} rows={6} />
      {conditionText(body.condition) && <p className="jr-reading">Reads: {conditionText(body.condition)}</p>}
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
          <JsonField label={`Path ${i + 1} condition`} value={p.condition} onChange={(v) => set(`paths[${i}].condition`, v)} rows={4} />
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
