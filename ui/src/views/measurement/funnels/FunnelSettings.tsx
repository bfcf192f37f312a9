import { Field } from '../fields'
import type { BreakdownBy, FunnelForm } from './request'

interface Props {
  form: FunnelForm
  set: (patch: Partial<FunnelForm>) => void
  errorOf: (name: string) => string | undefined
  /** Segment ids to suggest for a segment breakdown. */
  segments: Array<{ id: string; name: string }>
}

const BREAKDOWNS: Array<[BreakdownBy, string]> = [
  ['none', 'None'],
  ['channel', 'Channel'],
  ['source', 'Source'],
  ['stage', 'Lifecycle stage at entry'],
  ['property', 'Event property…'],
  ['segment', 'Segment membership…'],
]

/** Window, order, breakdown and the periods of a funnel. */
export function FunnelSettings({ form, set, errorOf, segments }: Props) {
  const arg = form.breakdown === 'property' || form.breakdown === 'segment'
  return (
    <>
      <div className="m-row">
        <Field label="Window" error={errorOf('window')} hint="Time to finish the funnel: 30m, 12h, 7d, 2w.">
          {(a) => <input {...a} value={form.window} onChange={(e) => set({ window: e.target.value })} />}
        </Field>
        <Field label="Order" error={errorOf('order')}>
          {(a) => (
            <select {...a} value={form.order} onChange={(e) => set({ order: e.target.value as FunnelForm['order'] })}>
              <option value="strict">Strict: steps in this order</option>
              <option value="any">Any order</option>
            </select>
          )}
        </Field>
        <Field label="Breakdown" error={arg ? undefined : errorOf('breakdown')}>
          {(a) => (
            <select {...a} value={form.breakdown} onChange={(e) => set({ breakdown: e.target.value as BreakdownBy })}>
              {BREAKDOWNS.map(([v, text]) => (
                <option key={v} value={v}>
                  {text}
                </option>
              ))}
            </select>
          )}
        </Field>
        {arg && (
          <Field
            label={form.breakdown === 'property' ? 'Property path' : 'Segment id'}
            error={errorOf('breakdown')}
            hint={form.breakdown === 'property' ? 'On the first step’s event, e.g. category.' : undefined}
          >
            {(a) => (
              <input
                {...a}
                value={form.breakdownArg}
                onChange={(e) => set({ breakdownArg: e.target.value })}
                list={form.breakdown === 'segment' ? 'm-segment-ids' : undefined}
                autoComplete="off"
              />
            )}
          </Field>
        )}
        <datalist id="m-segment-ids">
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </datalist>
      </div>
      <div className="m-row">
        <Field label="From (optional)" error={errorOf('since')}>
          {(a) => <input {...a} type="date" value={form.since} onChange={(e) => set({ since: e.target.value })} />}
        </Field>
        <Field label="To (optional)" error={errorOf('until')}>
          {(a) => <input {...a} type="date" value={form.until} onChange={(e) => set({ until: e.target.value })} />}
        </Field>
        <div className="m-check">
          <input
            id="m-funnel-compare"
            type="checkbox"
            checked={form.compare}
            onChange={(e) => set({ compare: e.target.checked })}
          />
          <label htmlFor="m-funnel-compare">Compare with another period</label>
        </div>
        {form.compare && (
          <>
            <Field label="Comparison from" error={errorOf('compare')}>
              {(a) => (
                <input {...a} type="date" value={form.compareSince} onChange={(e) => set({ compareSince: e.target.value })} />
              )}
            </Field>
            <Field label="Comparison to">
              {(a) => (
                <input {...a} type="date" value={form.compareUntil} onChange={(e) => set({ compareUntil: e.target.value })} />
              )}
            </Field>
          </>
        )}
      </div>
    </>
  )
}
