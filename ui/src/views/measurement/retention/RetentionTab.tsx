import { useMemo, useState } from 'react'
import { EmptyState } from '../../../components/EmptyState'
import { Panel } from '../../../components/Panel'
import { TableWrap } from '../../../components/TableWrap'
import { Chart } from '../Chart'
import { EventNames, EVENTS_LIST } from '../events'
import { Field, fieldErrors } from '../fields'
import { count, day, pct } from '../format'
import { RunBar } from '../RunBar'
import type { RetentionResult } from '../types'
import { useAnalysis } from '../useAnalysis'
import { periodLabels, RETENTION_DEFAULTS, RETENTION_FIELDS, retentionCall, retentionOption, type RetentionForm } from './request'

/** Retention: of the customers who first did an event in a period, who came back in each later period. */
export function RetentionTab() {
  const [form, setForm] = useState<RetentionForm>(RETENTION_DEFAULTS)
  const analysis = useAnalysis<RetentionResult>()
  const errs = fieldErrors(analysis.error, RETENTION_FIELDS)
  const set = (patch: Partial<RetentionForm>) => setForm((f) => ({ ...f, ...patch }))
  const res = analysis.result
  const option = useMemo(() => (res ? retentionOption(res) : undefined), [res])
  const labels = res ? periodLabels(res) : []

  return (
    <>
      <Panel title="Retention">
        <form
          className="m-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            void analysis.run(retentionCall(form))
          }}
        >
          <EventNames />
          <div className="m-row">
            <Field label="Cohort event" error={errs.of('cohort_event')} hint="A customer’s first one puts them in a cohort." className="m-grow">
              {(a) => <input {...a} list={EVENTS_LIST} value={form.cohortEvent} onChange={(e) => set({ cohortEvent: e.target.value })} />}
            </Field>
            <Field label="Return event" error={errs.of('return_event')} hint="What counts as coming back." className="m-grow">
              {(a) => <input {...a} list={EVENTS_LIST} value={form.returnEvent} onChange={(e) => set({ returnEvent: e.target.value })} />}
            </Field>
            <Field label="Period" error={errs.of('period')}>
              {(a) => (
                <select {...a} value={form.period} onChange={(e) => set({ period: e.target.value as RetentionForm['period'] })}>
                  <option value="day">Day</option>
                  <option value="week">Week</option>
                  <option value="month">Month</option>
                </select>
              )}
            </Field>
            <Field label="Periods" error={errs.of('periods')} hint="1 to 60.">
              {(a) => <input {...a} type="number" min={1} max={60} value={form.periods} onChange={(e) => set({ periods: e.target.value })} />}
            </Field>
          </div>
          <RunBar analysis={analysis} general={errs.general} csv={() => retentionCall(form)} />
        </form>
      </Panel>
      <Panel
        title="Cohorts"
        isEmpty={!res || res.rows.length === 0}
        empty={
          <EmptyState title={res ? 'No cohort in this period' : 'Pick the events, then Run'}>
            <p>
              Each row is the customers whose first cohort event fell in a period; each cell, the share that did the
              return event that many periods later. On the demo data try <strong>Signed Up</strong> then{' '}
              <strong>Order Completed</strong> by month, or <strong>Order Completed</strong> twice for repeat buying.
            </p>
          </EmptyState>
        }
      >
        {res && option && (
          <>
            <Chart option={option} label="Heatmap of the share of each cohort returning per period" size="tall" />
            <TableWrap label="Cohort matrix">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Cohort</th>
                    <th scope="col" className="num">Customers</th>
                    {labels.map((l) => (
                      <th key={l} scope="col" className="num">
                        {l}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {res.rows.map((r) => (
                    <tr key={r.cohort}>
                      <th scope="row">{day(r.cohort)}</th>
                      <td className="num">{count(r.size)}</td>
                      {labels.map((l, k) => (
                        <td key={l} className="num">
                          {k < r.rates.length ? pct(r.rates[k]) : ''}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </>
        )}
      </Panel>
    </>
  )
}
