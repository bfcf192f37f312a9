import { useState } from 'react'
import { EmptyState } from '../../../components/EmptyState'
import { Panel } from '../../../components/Panel'
import { EventNames, EVENTS_LIST } from '../events'
import { Field, fieldErrors } from '../fields'
import { RunBar } from '../RunBar'
import type { LiftResult } from '../types'
import { useAnalysis } from '../useAnalysis'
import { LiftResultView } from './LiftResultView'
import { LIFT_DEFAULTS, LIFT_FIELDS, liftCall, type LiftForm } from './request'

/** Lift: conversion after a channel's treatment against its holdout — the channel's incrementality. */
export function LiftTab() {
  const [form, setForm] = useState<LiftForm>(LIFT_DEFAULTS)
  const analysis = useAnalysis<LiftResult>()
  const errs = fieldErrors(analysis.error, LIFT_FIELDS)
  const set = (patch: Partial<LiftForm>) => setForm((f) => ({ ...f, ...patch }))
  const event = (name: 'exposure' | 'holdout' | 'conversion', label: string, hint: string) => (
    <Field label={label} error={errs.of(name)} hint={hint} className="m-grow">
      {(a) => <input {...a} list={EVENTS_LIST} value={form[name]} onChange={(e) => set({ [name]: e.target.value })} />}
    </Field>
  )
  const res = analysis.result

  return (
    <>
      <Panel title="Lift">
        <form
          className="m-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            void analysis.run(liftCall(form))
          }}
        >
          <EventNames />
          <div className="m-row">
            {event('exposure', 'Exposure event', 'Recorded when a customer was treated.')}
            {event('holdout', 'Holdout event', 'Recorded when the treatment was withheld.')}
            {event('conversion', 'Conversion event', 'What the treatment should cause.')}
          </div>
          <div className="m-row">
            <Field label="Window" error={errs.of('window')} hint="Conversions this long after a record count.">
              {(a) => <input {...a} value={form.window} onChange={(e) => set({ window: e.target.value })} />}
            </Field>
            <Field label="Unit" error={errs.of('unit')}>
              {(a) => (
                <select {...a} value={form.unit} onChange={(e) => set({ unit: e.target.value as LiftForm['unit'] })}>
                  <option value="exposure">Each record</option>
                  <option value="customer">Each customer</option>
                </select>
              )}
            </Field>
            <Field label="Planned holdout share" error={errs.of('holdout_share')} hint="0.15 for 15%; checks the split.">
              {(a) => (
                <input {...a} type="number" min={0} max={0.99} step={0.01} value={form.holdoutShare} onChange={(e) => set({ holdoutShare: e.target.value })} />
              )}
            </Field>
            <div className="m-check">
              <input
                id="m-lift-first"
                type="checkbox"
                checked={form.firstConversion}
                onChange={(e) => set({ firstConversion: e.target.checked })}
              />
              <label htmlFor="m-lift-first">First conversion only</label>
            </div>
          </div>
          <RunBar analysis={analysis} general={errs.general} csv={() => liftCall(form)} />
        </form>
      </Panel>
      {res ? (
        <LiftResultView result={res} />
      ) : (
        <Panel title="Exposed against holdout">
          <EmptyState title="Name the two arms, then Run">
            <p>
              A lift test needs a control group that was not treated. The demo’s direct mail holds 15% of customers
              out: run <strong>Catalog Delivered</strong> against <strong>Catalog Held Out</strong> on{' '}
              <strong>Order Completed</strong> within 30d, first conversions only. The planted lift is +25%.
            </p>
          </EmptyState>
        </Panel>
      )}
    </>
  )
}
