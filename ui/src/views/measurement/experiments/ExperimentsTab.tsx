import { useState } from 'react'
import { EmptyState } from '../../../components/EmptyState'
import { Panel } from '../../../components/Panel'
import { useApi } from '../../../session'
import { useLoad } from '../../../useLoad'
import { Field } from '../fields'
import { ExperimentPanel } from './ExperimentPanel'
import { JourneyReportPanel } from './JourneyReportPanel'

/** Experiments & journeys: a journey's report (per node, treated vs holdout, split arms) and its experiments. */
export function ExperimentsTab() {
  const api = useApi()
  const journeys = useLoad((signal) => api.journeys(signal), [api])
  const [picked, setPicked] = useState('')
  const list = journeys.data ?? []
  return (
    <>
      <Panel
        title="Journeys"
        loading={journeys.loading && !journeys.data}
        error={journeys.error}
        onRetry={journeys.reload}
        isEmpty={list.length === 0}
        empty={
          <EmptyState title="No journey yet">
            <p>
              Journey reports count what each step did (sent, opened, converted, exits) and compare the journey with its
              holdout; experiments compare the arms of an experiment or random split node. Create a journey with{' '}
              <code>cairn journeys create -f journey.yaml</code>, publish it, and come back once customers went through
              it (docs/journeys.md).
            </p>
          </EmptyState>
        }
      >
        <div className="m-row">
          <Field label="Journey" className="m-grow">
            {(a) => (
              <select {...a} value={picked} onChange={(e) => setPicked(e.target.value)}>
                <option value="">Pick a journey…</option>
                {list.map((j) => (
                  <option key={j.id} value={j.id}>
                    {j.name} ({j.status})
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </Panel>
      {picked ? (
        <div key={picked} className="m-stack">
          <JourneyReportPanel journeyId={picked} />
          <ExperimentPanel journeyId={picked} />
        </div>
      ) : (
        list.length > 0 && (
          <Panel title="Report">
            <EmptyState title="Pick a journey">
              <p>Its report runs over every customer’s history; experiments are listed below it.</p>
            </EmptyState>
          </Panel>
        )
      )}
    </>
  )
}
