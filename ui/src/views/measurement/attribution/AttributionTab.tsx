import { useState } from 'react'
import { EmptyState } from '../../../components/EmptyState'
import { Panel } from '../../../components/Panel'
import { EventNames, EVENTS_LIST } from '../events'
import { Field, fieldErrors } from '../fields'
import { RunBar } from '../RunBar'
import type { AttributionResult } from '../typesModels'
import { useAnalysis } from '../useAnalysis'
import { AttributionResultView } from './AttributionResultView'
import { ATTRIBUTION_DEFAULTS, ATTRIBUTION_FIELDS, attributionCall, MODELS, type AttributionForm } from './request'

/** Attribution: which channels (or campaigns) get the credit for conversions, under every model side by side. */
export function AttributionTab() {
  const [form, setForm] = useState<AttributionForm>(ATTRIBUTION_DEFAULTS)
  const [noModel, setNoModel] = useState(false)
  const analysis = useAnalysis<AttributionResult>()
  const errs = fieldErrors(analysis.error, ATTRIBUTION_FIELDS)
  const set = (patch: Partial<AttributionForm>) => setForm((f) => ({ ...f, ...patch }))
  const toggle = (m: string, on: boolean) =>
    set({ models: on ? [...form.models, m] : form.models.filter((x) => x !== m) })
  const modelsError = noModel ? 'Pick at least one model.' : errs.of('models')
  const res = analysis.result

  return (
    <>
      <Panel title="Attribution">
        <form
          className="m-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            setNoModel(form.models.length === 0)
            if (form.models.length > 0) void analysis.run(attributionCall(form))
          }}
        >
          <EventNames />
          <div className="m-row">
            <Field label="Conversion event" error={errs.of('conversion')} className="m-grow">
              {(a) => <input {...a} list={EVENTS_LIST} value={form.conversion} onChange={(e) => set({ conversion: e.target.value })} />}
            </Field>
            <Field label="Value property" error={errs.of('value')} hint="The conversion’s revenue, e.g. revenue.">
              {(a) => <input {...a} value={form.value} onChange={(e) => set({ value: e.target.value })} />}
            </Field>
            <Field label="Lookback" error={errs.of('lookback')} hint="Touches this long before a conversion count.">
              {(a) => <input {...a} value={form.lookback} onChange={(e) => set({ lookback: e.target.value })} />}
            </Field>
            <Field label="Credit" error={errs.of('by')}>
              {(a) => (
                <select {...a} value={form.by} onChange={(e) => set({ by: e.target.value as AttributionForm['by'] })}>
                  <option value="channel">By channel</option>
                  <option value="campaign">By campaign</option>
                </select>
              )}
            </Field>
          </div>
          <fieldset className="m-checks" aria-describedby={modelsError ? 'm-models-error' : undefined}>
            <legend>Models</legend>
            {MODELS.map(([m, label]) => (
              <div key={m} className="m-check">
                <input
                  id={`m-model-${m}`}
                  type="checkbox"
                  checked={form.models.includes(m)}
                  onChange={(e) => toggle(m, e.target.checked)}
                />
                <label htmlFor={`m-model-${m}`}>{label}</label>
              </div>
            ))}
            {form.models.includes('markov') && (
              <Field label="Markov order" error={errs.of('order')}>
                {(a) => (
                  <select {...a} value={form.order} onChange={(e) => set({ order: e.target.value })}>
                    <option value="1">1</option>
                    <option value="2">2</option>
                    <option value="3">3</option>
                  </select>
                )}
              </Field>
            )}
            {modelsError && (
              <p className="field-error" id="m-models-error" role="alert">
                {modelsError}
              </p>
            )}
          </fieldset>
          <RunBar analysis={analysis} general={errs.general} csv={() => attributionCall(form)} />
        </form>
      </Panel>
      {res ? (
        <AttributionResultView result={res} />
      ) : (
        <Panel title="Credit">
          <EmptyState title="Pick a conversion and the models, then Run">
            <p>
              Each model splits every conversion among the touches before it: first and last touch give it all to one,
              the others share it. On the demo data run <strong>Order Completed</strong> by channel: direct mail, email,
              ads and organic search compete for the credit.
            </p>
          </EmptyState>
        </Panel>
      )}
    </>
  )
}
