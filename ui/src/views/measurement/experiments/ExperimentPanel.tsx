import { useState } from 'react'
import { EmptyState } from '../../../components/EmptyState'
import { Panel } from '../../../components/Panel'
import { useApi } from '../../../session'
import { useLoad } from '../../../useLoad'
import { EventNames, EVENTS_LIST } from '../events'
import { Field, fieldErrors } from '../fields'
import { RunBar } from '../RunBar'
import type { ExperimentResult } from '../typesModels'
import { useAnalysis } from '../useAnalysis'
import { ExperimentResultView } from './ExperimentResultView'
import { EXPERIMENT_FIELDS, experimentCall, experimentNodes, type ExperimentForm } from './request'

/** The experiment and random-split nodes of a journey, and the analysis of the one picked. */
export function ExperimentPanel({ journeyId }: { journeyId: string }) {
  const api = useApi()
  const detail = useLoad((signal) => api.journey(journeyId, signal), [api, journeyId])
  const nodes = experimentNodes(detail.data)
  const [form, setForm] = useState<ExperimentForm>({ node: '', metric: '', window: '' })
  const analysis = useAnalysis<ExperimentResult>()
  const errs = fieldErrors(analysis.error, EXPERIMENT_FIELDS)
  const set = (patch: Partial<ExperimentForm>) => setForm((f) => ({ ...f, ...patch }))
  const node = form.node || nodes[0]?.id || ''
  const picked = nodes.find((n) => n.id === node)

  return (
    <Panel
      title="Experiments"
      loading={detail.loading && !detail.data}
      error={detail.error}
      onRetry={detail.reload}
      isEmpty={nodes.length === 0}
      empty={
        <EmptyState title="This journey’s live version has no experiment">
          <p>
            Add an <code>experiment</code> node (variants, an optional control, a metric such as Order Completed and a
            window) or a <code>random_split</code> node, publish, and let customers go through it. The arms are then
            compared here with a z-test, P(best), a sample-ratio check and always-valid sequential results.
          </p>
        </EmptyState>
      }
    >
      <form
        className="m-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void analysis.run(experimentCall(journeyId, { ...form, node }))
        }}
      >
        <EventNames />
        <div className="m-row">
          <Field label="Node" className="m-grow">
            {(a) => (
              <select {...a} value={node} onChange={(e) => set({ node: e.target.value })}>
                {nodes.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.label} — {n.kind === 'experiment' ? 'experiment' : 'random split'}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Metric"
            error={errs.of('metric')}
            hint={picked?.metric ? `Empty: the node’s ${picked.metric}.` : 'The conversion event to compare the arms on.'}
          >
            {(a) => <input {...a} list={EVENTS_LIST} value={form.metric} onChange={(e) => set({ metric: e.target.value })} />}
          </Field>
          <Field label="Window" error={errs.of('window')} hint="Empty: the node’s, or any time after entering.">
            {(a) => <input {...a} value={form.window} onChange={(e) => set({ window: e.target.value })} />}
          </Field>
        </div>
        <RunBar analysis={analysis} general={errs.general} csv={() => experimentCall(journeyId, { ...form, node })} runLabel="Analyze" />
      </form>
      {analysis.result && <ExperimentResultView result={analysis.result} />}
    </Panel>
  )
}
