import { useMemo, useState } from 'react'
import { EmptyState } from '../../../components/EmptyState'
import { Panel } from '../../../components/Panel'
import { TableWrap } from '../../../components/TableWrap'
import { Chart } from '../Chart'
import { EventNames, EVENTS_LIST } from '../events'
import { Field, fieldErrors } from '../fields'
import { count, pct } from '../format'
import { RunBar } from '../RunBar'
import { pathsGraph, sankeyOption } from '../sankey'
import type { PathsResult } from '../types'
import { useAnalysis } from '../useAnalysis'
import { PATHS_DEFAULTS, PATHS_FIELDS, pathsCall, type PathsForm } from './request'

/** Paths: what customers do after (or before) an event, as a Sankey and the top paths. */
export function PathsTab() {
  const [form, setForm] = useState<PathsForm>(PATHS_DEFAULTS)
  const analysis = useAnalysis<PathsResult>()
  const errs = fieldErrors(analysis.error, PATHS_FIELDS)
  const set = (patch: Partial<PathsForm>) => setForm((f) => ({ ...f, ...patch }))
  const res = analysis.result
  const option = useMemo(() => (res ? sankeyOption(pathsGraph(res)) : undefined), [res])

  return (
    <>
      <Panel title="Paths">
        <form
          className="m-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            void analysis.run(pathsCall(form))
          }}
        >
          <EventNames />
          <div className="m-row">
            <Field label="Direction">
              {(a) => (
                <select {...a} value={form.anchor} onChange={(e) => set({ anchor: e.target.value as PathsForm['anchor'] })}>
                  <option value="from">What customers do after…</option>
                  <option value="to">What customers did before…</option>
                </select>
              )}
            </Field>
            <Field label="Event" error={errs.of(form.anchor)} className="m-grow">
              {(a) => <input {...a} list={EVENTS_LIST} value={form.event} onChange={(e) => set({ event: e.target.value })} />}
            </Field>
            <Field label="Steps" error={errs.of('depth')} hint="2 to 10, the event included.">
              {(a) => <input {...a} type="number" min={2} max={10} value={form.depth} onChange={(e) => set({ depth: e.target.value })} />}
            </Field>
            <Field label="Level" error={errs.of('level')}>
              {(a) => (
                <select {...a} value={form.level} onChange={(e) => set({ level: e.target.value as PathsForm['level'] })}>
                  <option value="event">Events</option>
                  <option value="channel">Channels</option>
                </select>
              )}
            </Field>
            <Field label="Top paths" error={errs.of('top')}>
              {(a) => <input {...a} type="number" min={1} value={form.top} onChange={(e) => set({ top: e.target.value })} />}
            </Field>
          </div>
          <RunBar analysis={analysis} general={errs.general} csv={() => pathsCall(form)} />
        </form>
      </Panel>
      <Panel
        title="Result"
        isEmpty={!res || res.profiles === 0}
        empty={
          <EmptyState title={res ? 'Nobody did this event' : 'Pick an event, then Run'}>
            <p>
              Paths show the next (or previous) steps of every customer who did the event. On the demo data try what
              customers do after <strong>Signed Up</strong>, or the channels before <strong>Order Completed</strong>{' '}
              (direction “before”, level Channels).
            </p>
          </EmptyState>
        }
      >
        {res && option && (
          <>
            <p className="muted m-summary">{count(res.profiles)} customers did the event.</p>
            <Chart option={option} label="Sankey of the paths customers took" size="tall" />
            <TableWrap label="Top paths">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Path</th>
                    <th scope="col" className="num">Customers</th>
                    <th scope="col" className="num">Share</th>
                  </tr>
                </thead>
                <tbody>
                  {res.paths.map((p, i) => (
                    <tr key={i}>
                      <th scope="row">{p.steps.join(' → ')}</th>
                      <td className="num">{count(p.count)}</td>
                      <td className="num">{pct(res.profiles ? p.count / res.profiles : 0)}</td>
                    </tr>
                  ))}
                  {res.other > 0 && (
                    <tr>
                      <th scope="row" className="muted">(other paths)</th>
                      <td className="num">{count(res.other)}</td>
                      <td className="num">{pct(res.other / res.profiles)}</td>
                    </tr>
                  )}
                </tbody>
              </table>
            </TableWrap>
          </>
        )}
      </Panel>
    </>
  )
}
