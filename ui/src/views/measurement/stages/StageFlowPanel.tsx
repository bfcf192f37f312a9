import { useMemo, useState } from 'react'
import { EmptyState } from '../../../components/EmptyState'
import { Panel } from '../../../components/Panel'
import { TableWrap } from '../../../components/TableWrap'
import { Chart } from '../Chart'
import { Field, fieldErrors } from '../fields'
import { count, day } from '../format'
import { RunBar } from '../RunBar'
import { flowGraph, sankeyOption } from '../sankey'
import type { StageFlow } from '../typesModels'
import { useAnalysis } from '../useAnalysis'
import { stageFlowCall, type FlowPeriod } from './request'

/** How customers move between lifecycle stages, period by period, as a Sankey. */
export function StageFlowPanel() {
  const [period, setPeriod] = useState<FlowPeriod>('month')
  const analysis = useAnalysis<StageFlow>()
  const errs = fieldErrors(analysis.error, ['period'])
  const res = analysis.result
  const option = useMemo(() => (res ? sankeyOption(flowGraph(res)) : undefined), [res])
  return (
    <Panel title="Stage flow">
      <form
        className="m-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void analysis.run(stageFlowCall(period))
        }}
      >
        <div className="m-row">
          <Field label="Period" error={errs.of('period')}>
            {(a) => (
              <select {...a} value={period} onChange={(e) => setPeriod(e.target.value as FlowPeriod)}>
                <option value="day">Day</option>
                <option value="week">Week</option>
                <option value="month">Month</option>
              </select>
            )}
          </Field>
        </div>
        <RunBar analysis={analysis} general={errs.general} csv={() => stageFlowCall(period)} />
      </form>
      {!res || !option || res.sankey.links.length === 0 ? (
        <EmptyState title={res ? 'No stage change recorded' : 'Pick a period, then Run'}>
          <p>
            The flow reads the Stage Changed events Cairn records when a customer’s lifecycle stage changes (awareness,
            consideration, purchase, retention, advocacy, lapsed on the demo data). Define stages, then run it by month.
          </p>
        </EmptyState>
      ) : (
        <>
          <Chart option={option} label="Sankey of customers moving between lifecycle stages per period" size="tall" />
          <TableWrap label="Stage changes per period">
            <table>
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col" className="num">Stage changes</th>
                </tr>
              </thead>
              <tbody>
                {res.periods.map((p) => (
                  <tr key={p.start}>
                    <th scope="row">
                      {day(p.start)} to {day(p.end)}
                    </th>
                    <td className="num">{count(p.changes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </Panel>
  )
}
