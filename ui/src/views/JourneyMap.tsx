import { useEffect, useRef, useState } from 'react'
import { Link } from 'react-router'
import { EmptyState } from '../components/EmptyState'
import { Page } from '../components/Page'
import { Panel } from '../components/Panel'
import { count } from './measurement/format'
import { Field, fieldErrors } from './measurement/fields'
import { RunBar } from './measurement/RunBar'
import { useAnalysis } from './measurement/useAnalysis'
import { CellDetail } from './journeymap/CellDetail'
import { MapGrid } from './journeymap/MapGrid'
import {
  ALL_ROWS,
  FIRST_ROWS,
  MAP_DEFAULTS,
  mapCall,
  type JourneyMapResult,
  type MapCell,
  type MapForm,
  type Pick,
} from './journeymap/model'
import { Transitions } from './journeymap/Transitions'

const WINDOWS = ['7d', '14d', '30d', '60d', '90d']

/** The cell a pick points at in a map result. */
function cellOf(map: JourneyMapResult, p: Pick): MapCell | undefined {
  const i = map.stages.findIndex((s) => s.name === p.stage)
  if (i < 0) return undefined
  if (!p.row) return map.stages[i]
  const row = map.rows.find((r) => r.channel === p.row?.channel && r.touchpoint === p.row?.touchpoint)
  return row?.cells[i]
}

/**
 * The customer journey drawn from the data: lifecycle stages across,
 * touchpoints and channels down, the customers in each cell and how many moved
 * on; a cell opens its customers and what acts on them.
 */
export function JourneyMap() {
  const [form, setForm] = useState<MapForm>(MAP_DEFAULTS)
  const [ran, setRan] = useState<MapForm>(MAP_DEFAULTS)
  const [picked, setPicked] = useState<Pick>()
  const [rows, setRows] = useState(FIRST_ROWS)
  const detail = useRef<HTMLDivElement>(null)
  const analysis = useAnalysis<JourneyMapResult>()
  const errs = fieldErrors(analysis.error, ['since', 'until', 'window'])
  const { run } = analysis
  useEffect(() => {
    void run(mapCall(MAP_DEFAULTS))
  }, [run])
  const map = analysis.result
  const cell = map && picked ? cellOf(map, picked) : undefined
  useEffect(() => {
    if (picked) detail.current?.scrollIntoView?.({ block: 'start' })
  }, [picked])
  return (
    <Page
      title="Journey map"
      lead="Where customers meet you at each lifecycle stage, and which touchpoints move them on. Pick a cell to see its customers and what acts on them."
    >
      <Panel title="Range">
        <form
          className="m-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            setRan(form)
            setPicked(undefined)
            void run(mapCall(form, rows))
          }}
        >
          <div className="m-row">
            <Field label="From" error={errs.of('since')} hint="Empty: since the first event">
              {(a) => <input {...a} type="date" value={form.since} onChange={(e) => setForm({ ...form, since: e.target.value })} />}
            </Field>
            <Field label="Until" error={errs.of('until')} hint="Empty: until now">
              {(a) => <input {...a} type="date" value={form.until} onChange={(e) => setForm({ ...form, until: e.target.value })} />}
            </Field>
            <Field label="Moved on within" error={errs.of('window')} hint="A move to a later stage this long after a touchpoint counts">
              {(a) => (
                <select {...a} value={form.window} onChange={(e) => setForm({ ...form, window: e.target.value })}>
                  {WINDOWS.map((w) => (
                    <option key={w} value={w}>
                      {w.replace('d', ' days')}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <RunBar analysis={analysis} general={errs.general} csv={() => mapCall(ran, ALL_ROWS)} runLabel="Draw the map" />
        </form>
      </Panel>
      {!map ? null : map.rows.length === 0 ? (
        <section className="panel">
          <EmptyState title="No touchpoint in this range">
            <p>
              The map places every event your sources send in the lifecycle stage its customer was in. Send events from
              a <Link to="/sources">source</Link>, or widen the range.
            </p>
          </EmptyState>
        </section>
      ) : (
        <>
          <Panel title={`${count(map.customers)} customers across ${map.stages.length} stages`}>
            <MapGrid map={map} picked={picked} onPick={setPicked} />
            {map.omitted_rows > 0 && (
              <p className="muted">
                {count(map.omitted_rows)} touchpoints with fewer customers are not shown.{' '}
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() => {
                    setRows(ALL_ROWS)
                    void run(mapCall(ran, ALL_ROWS))
                  }}
                >
                  Show every touchpoint
                </button>
              </p>
            )}
          </Panel>
          <div ref={detail}>{picked && cell && <CellDetail map={map} form={ran} pick={picked} cell={cell} />}</div>
          <Transitions map={map} />
        </>
      )}
    </Page>
  )
}
