import { useEffect } from 'react'
import { EmptyState } from '../../../components/EmptyState'
import { Panel } from '../../../components/Panel'
import { fieldErrors } from '../fields'
import { count, pct, pctInterval, points, pValue } from '../format'
import { RunBar } from '../RunBar'
import type { JourneyReport } from '../typesModels'
import { useAnalysis } from '../useAnalysis'
import { NodesTable } from './NodesTable'
import { journeyReportCall } from './request'
import { SplitsTable } from './SplitsTable'

/** The journey report: treated vs holdout, per-node counts, split arms with underperformers flagged. */
export function JourneyReportPanel({ journeyId }: { journeyId: string }) {
  const report = useAnalysis<JourneyReport>()
  const errs = fieldErrors(report.error, [])
  const { run } = report
  useEffect(() => {
    void run(journeyReportCall(journeyId))
  }, [run, journeyId])
  const r = report.result
  const c = r?.conversion
  return (
    <Panel title={r ? `Report: ${r.name}` : 'Report'}>
      <form
        className="m-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void report.run(journeyReportCall(journeyId))
        }}
      >
        <RunBar analysis={report} general={errs.general} csv={() => journeyReportCall(journeyId)} runLabel="Run again" />
      </form>
      {r && c && (
        <>
          {r.instances === 0 ? (
            <EmptyState title="Nobody entered this journey yet">
              <p>Publish it and wait for customers to match its entry, or send a test event that does.</p>
            </EmptyState>
          ) : (
            <dl className="facts m-facts">
              <div>
                <dt>Entered</dt>
                <dd>{count(r.instances)} customers</dd>
              </div>
              <div>
                <dt>Treated conversion</dt>
                <dd>
                  {pct(c.treated_rate)} <span className="cell-note">{pctInterval(c.treated_ci)}, {count(c.treated.trials)} customers</span>
                </dd>
              </div>
              <div>
                <dt>Holdout conversion</dt>
                <dd>
                  {pct(c.holdout_rate)} <span className="cell-note">{pctInterval(c.holdout_ci)}, {count(c.holdout.trials)} customers</span>
                </dd>
              </div>
              <div>
                <dt>Journey against holdout</dt>
                <dd className={c.underperforming ? 'm-bad' : undefined}>
                  {c.test ? `${points(c.test.diff)} (p ${pValue(c.test.p)})` : 'No holdout to compare with'}
                  {c.underperforming && <span className="badge m-badge-bad badge-after">underperforming</span>}
                </dd>
              </div>
            </dl>
          )}
          <NodesTable nodes={r.nodes} />
          <SplitsTable splits={r.splits} />
        </>
      )}
    </Panel>
  )
}
