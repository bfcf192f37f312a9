import { useState } from 'react'
import { EmptyState } from '../../../components/EmptyState'
import { Panel } from '../../../components/Panel'
import { EventNames, EVENTS_LIST } from '../events'
import { Field, fieldErrors } from '../fields'
import { RunBar } from '../RunBar'
import type { ClvResult } from '../typesModels'
import { useAnalysis } from '../useAnalysis'
import { ClvResultView } from './ClvResultView'
import { CLV_DEFAULTS, CLV_FIELDS, clvCall, type ClvForm } from './request'

/** Lifetime value: BG/NBD and Gamma-Gamma fitted to the purchases, each customer's predicted value. */
export function ClvTab() {
  const [form, setForm] = useState<ClvForm>(CLV_DEFAULTS)
  const [ran, setRan] = useState<ClvForm>(CLV_DEFAULTS)
  const analysis = useAnalysis<ClvResult>()
  const errs = fieldErrors(analysis.error, CLV_FIELDS)
  const set = (patch: Partial<ClvForm>) => setForm((f) => ({ ...f, ...patch }))
  const res = analysis.result

  return (
    <>
      <Panel title="Lifetime value">
        <form
          className="m-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            setRan(form)
            void analysis.run(clvCall(form))
          }}
        >
          <EventNames />
          <div className="m-row">
            <Field label="Purchase event" error={errs.of('event')} className="m-grow">
              {(a) => <input {...a} list={EVENTS_LIST} value={form.event} onChange={(e) => set({ event: e.target.value })} />}
            </Field>
            <Field label="Revenue property" error={errs.of('revenue')}>
              {(a) => <input {...a} value={form.revenue} onChange={(e) => set({ revenue: e.target.value })} />}
            </Field>
            <Field label="Calibration end" error={errs.of('calibration_end')} hint="Purchases up to this day; empty: today.">
              {(a) => <input {...a} type="date" value={form.calibrationEnd} onChange={(e) => set({ calibrationEnd: e.target.value })} />}
            </Field>
            <Field label="Horizon (weeks)" error={errs.of('horizon_weeks')} hint="Up to 520.">
              {(a) => (
                <input {...a} type="number" min={1} max={520} value={form.horizonWeeks} onChange={(e) => set({ horizonWeeks: e.target.value })} />
              )}
            </Field>
            <Field label="Annual discount rate" error={errs.of('discount_rate')} hint="0.1 is 10% a year.">
              {(a) => (
                <input {...a} type="number" min={0} step={0.01} value={form.discountRate} onChange={(e) => set({ discountRate: e.target.value })} />
              )}
            </Field>
          </div>
          <RunBar analysis={analysis} general={errs.general} csv={() => clvCall(form)} />
        </form>
      </Panel>
      {res ? (
        <ClvResultView result={res} form={ran} />
      ) : (
        <Panel title="Predictions">
          <EmptyState title="Fit the models, then Run">
            <p>
              The models learn how often customers buy, when they stop, and how much they spend, from every{' '}
              <strong>Order Completed</strong> with its <strong>revenue</strong>. The demo data is drawn from known
              parameters (r 0.25, α 4, a 0.8, b 2.5): the fit should find them back. You can then write each customer’s
              p_alive and predicted CLV as traits for segments and journeys.
            </p>
          </EmptyState>
        </Panel>
      )}
    </>
  )
}
