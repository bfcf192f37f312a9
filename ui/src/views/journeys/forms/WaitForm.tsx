import { isObject, type Json } from '../types'
import { SelectField, TextField } from './fields'
import { list, str, type BodyFormProps } from './formTypes'

type What = 'event' | 'segment' | 'engagement'
const WHAT = [
  { value: 'event', label: 'An event' },
  { value: 'segment', label: 'Joining a segment' },
  { value: 'engagement', label: 'Opening or clicking a message' },
]

const whatOf = (b: Json): What => (isObject(b.engagement) ? 'engagement' : typeof b.segment === 'string' ? 'segment' : 'event')

/** A wait: what to wait for (each with its own next step, chosen below), and how long at most. */
export function WaitForm({ body, set, refs }: BodyFormProps) {
  const branches = list(body.branches)
  const setBranch = (i: number, b: Json) => set('branches', branches.map((x, j) => (j === i ? b : x)))
  const retype = (i: number, b: Json, w: string) => {
    const { event: _e, segment: _s, engagement: _g, ...rest } = b
    const fresh = w === 'event' ? { event: { name: '' } } : w === 'segment' ? { segment: '' } : { engagement: { node: '', action: 'opened' } }
    setBranch(i, { ...rest, ...fresh })
  }
  return (
    <>
      {branches.map((b, i) => {
        const w = whatOf(b)
        const n = i + 1
        return (
          <fieldset key={i} className="jr-group">
            <legend>Branch {n}</legend>
            <SelectField label={`Branch ${n}: wait for`} value={w} options={WHAT} onChange={(v) => retype(i, b, v)} />
            {w === 'event' && (
              <TextField
                label={`Branch ${n}: event name`}
                value={isObject(b.event) ? str(b.event.name) : ''}
                onChange={(v) => set(`branches[${i}].event.name`, v)}
                placeholder="Order Completed"
              />
            )}
            {w === 'segment' && (
              <SelectField
                label={`Branch ${n}: segment`}
                value={str(b.segment)}
                none="Choose a segment"
                options={refs.segments.map((s) => ({ value: s.id, label: s.name || s.id }))}
                onChange={(v) => set(`branches[${i}].segment`, v)}
              />
            )}
            {w === 'engagement' && isObject(b.engagement) && (
              <>
                <SelectField
                  label={`Branch ${n}: message step`}
                  value={str(b.engagement.node)}
                  none="Choose a message step"
                  options={refs.nodeIds.map((id) => ({ value: id, label: id }))}
                  onChange={(v) => set(`branches[${i}].engagement.node`, v)}
                />
                <SelectField
                  label={`Branch ${n}: action`}
                  value={str(b.engagement.action)}
                  options={[{ value: 'opened', label: 'opened' }, { value: 'clicked', label: 'clicked' }]}
                  onChange={(v) => set(`branches[${i}].engagement.action`, v)}
                />
              </>
            )}
            {branches.length > 1 && (
              <button type="button" className="button-secondary jr-small" onClick={() => set('branches', branches.filter((_, j) => j !== i))}>
                Remove branch {n}
              </button>
            )}
          </fieldset>
        )
      })}
      <button type="button" className="button-secondary jr-small" onClick={() => set('branches', [...branches, { event: { name: '' }, next: '' }])}>
        Add a branch
      </button>
      <TextField label="Give up after" value={str(body.timeout)} onChange={(v) => set('timeout', v)} hint="e.g. 7d; then the customer takes the timeout step" />
    </>
  )
}
