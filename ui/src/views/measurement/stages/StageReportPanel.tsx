import { useState } from 'react'
import { EmptyState } from '../../../components/EmptyState'
import { Panel } from '../../../components/Panel'
import { TableWrap } from '../../../components/TableWrap'
import { Field, fieldErrors } from '../fields'
import { count, pct, pctInterval, pValue } from '../format'
import { RunBar } from '../RunBar'
import type { StageReport } from '../typesModels'
import { useAnalysis } from '../useAnalysis'
import { STAGES_DEFAULTS, stagesReportCall, type StagesForm } from './request'

/** "Which message works at which stage": response rate by stage × template × channel, significant rows marked. */
export function StageReportPanel() {
  const [form, setForm] = useState<StagesForm>(STAGES_DEFAULTS)
  const analysis = useAnalysis<StageReport>()
  const errs = fieldErrors(analysis.error, ['metric', 'sort'])
  const res = analysis.result
  return (
    <Panel title="Which message works at which stage">
      <form
        className="m-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void analysis.run(stagesReportCall(form))
        }}
      >
        <div className="m-row">
          <Field label="Response" error={errs.of('metric')}>
            {(a) => (
              <select {...a} value={form.metric} onChange={(e) => setForm({ ...form, metric: e.target.value as StagesForm['metric'] })}>
                <option value="converted">Converted (reached the journey’s goal)</option>
                <option value="opened">Opened</option>
                <option value="clicked">Clicked</option>
              </select>
            )}
          </Field>
          <Field label="Sort by" error={errs.of('sort')}>
            {(a) => (
              <select {...a} value={form.sort} onChange={(e) => setForm({ ...form, sort: e.target.value as StagesForm['sort'] })}>
                <option value="rate">Response rate</option>
                <option value="sends">Sends</option>
              </select>
            )}
          </Field>
        </div>
        <RunBar analysis={analysis} general={errs.general} csv={() => stagesReportCall(form)} />
      </form>
      {!res || res.rows.length === 0 ? (
        <EmptyState title={res ? 'No message was sent yet' : 'Pick the response, then Run'}>
          <p>
            Rows come from the messages journeys send (Message Sent) and the customer’s lifecycle stage at send time
            (Stage Changed events). Publish a journey with a message step; once sends and responses arrive, each
            stage × template × channel gets its rate, compared with the rest of its stage.
          </p>
        </EmptyState>
      ) : (
        <TableWrap label="Response by stage, template and channel">
          <table>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">Template</th>
                <th scope="col">Channel</th>
                <th scope="col" className="num">Sends</th>
                <th scope="col" className="num">Responders</th>
                <th scope="col" className="num">Rate</th>
                <th scope="col" className="num">95% interval</th>
                <th scope="col" className="num">Stage rate</th>
                <th scope="col" className="num">Adjusted p</th>
                <th scope="col">Significant</th>
              </tr>
            </thead>
            <tbody>
              {res.rows.map((r) => (
                <tr key={`${r.stage}|${r.template}|${r.channel}`} className={r.significant ? (r.rate >= r.stage_rate ? 'm-row-good' : 'm-row-bad') : undefined}>
                  <th scope="row">{r.stage || <span className="muted">(none)</span>}</th>
                  <td>{r.template || <span className="muted">—</span>}</td>
                  <td>{r.channel}</td>
                  <td className="num">{count(r.sends)}</td>
                  <td className="num">{count(r.responders)}</td>
                  <td className="num">{pct(r.rate)}</td>
                  <td className="num">{pctInterval(r.ci)}</td>
                  <td className="num">{pct(r.stage_rate)}</td>
                  <td className="num">{pValue(r.adjusted_p)}</td>
                  <td>
                    {r.significant && (
                      r.rate >= r.stage_rate ? (
                        <span className="badge m-badge-good">better than the stage</span>
                      ) : (
                        <span className="badge m-badge-bad">worse than the stage</span>
                      )
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Panel>
  )
}
