import { useState } from 'react'
import { EmptyState } from '../../../components/EmptyState'
import { Panel } from '../../../components/Panel'
import { useApi } from '../../../session'
import { useLoad } from '../../../useLoad'
import { EventNames } from '../events'
import { fieldErrors } from '../fields'
import { RunBar } from '../RunBar'
import type { FunnelResult } from '../types'
import { useAnalysis } from '../useAnalysis'
import { FunnelResultView } from './FunnelResultView'
import { FunnelSettings } from './FunnelSettings'
import { FUNNEL_DEFAULTS, funnelCall, funnelFields, type FunnelForm } from './request'
import { StepsEditor } from './StepsEditor'

/** Funnels: steps in order within a window, conversion and time between steps, drop-off as a segment. */
export function FunnelsTab() {
  const api = useApi()
  const [form, setForm] = useState<FunnelForm>(FUNNEL_DEFAULTS)
  // The form the shown result was computed from (the drop-off is saved from it).
  const [ran, setRan] = useState<FunnelForm>(FUNNEL_DEFAULTS)
  const analysis = useAnalysis<FunnelResult>()
  const segments = useLoad((signal) => api.segments(signal), [api])
  const errs = fieldErrors(analysis.error, funnelFields(form))
  const set = (patch: Partial<FunnelForm>) => setForm((f) => ({ ...f, ...patch }))
  const res = analysis.result

  return (
    <>
      <Panel title="Funnel">
        <form
          className="m-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            setRan(form)
            void analysis.run(funnelCall(form))
          }}
        >
          <EventNames />
          <StepsEditor steps={form.steps} onChange={(steps) => set({ steps })} errorOf={errs.of} />
          <FunnelSettings form={form} set={set} errorOf={errs.of} segments={segments.data ?? []} />
          <RunBar analysis={analysis} general={errs.general} csv={() => funnelCall(form)} />
        </form>
      </Panel>
      {!res ? (
        <Panel title="Result">
          <EmptyState title="Build a funnel, then Run">
            <p>
              List the events customers go through, in order, and how long they have to finish. On the demo data try{' '}
              <strong>Product Viewed → Product Added → Checkout Started → Order Completed</strong> within 7d, broken
              down by channel or by lifecycle stage.
            </p>
          </EmptyState>
        </Panel>
      ) : res.entered === 0 ? (
        <Panel title="Result">
          <EmptyState title="Nobody did the first step">
            <p>
              No customer did “{res.steps[0]?.event}” in this period. Check the event’s spelling (events are
              case-sensitive), widen the period, or pick an event from the suggestions.
            </p>
          </EmptyState>
        </Panel>
      ) : (
        <FunnelResultView result={res} form={ran} />
      )}
    </>
  )
}
