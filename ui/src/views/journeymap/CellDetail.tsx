import { useEffect, useState } from 'react'
import { Link } from 'react-router'
import { errorMessage, type AnalysisCall } from '../../api'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Panel } from '../../components/Panel'
import { TableWrap } from '../../components/TableWrap'
import { Time } from '../../components/Time'
import { useApi } from '../../session'
import { count, pct, pctInterval } from '../measurement/format'
import { RunBar } from '../measurement/RunBar'
import { useAnalysis } from '../measurement/useAnalysis'
import { createSegment } from '../segments/segmentsApi'
import {
  cellCall,
  cellSegment,
  channelLabel,
  journeysFor,
  type CellPage,
  type JourneyMapResult,
  type MapCell,
  type MapForm,
  type Moved,
  type Pick,
} from './model'

interface Props {
  map: JourneyMapResult
  form: MapForm
  pick: Pick
  cell: MapCell
}

/** One cell of the map: its numbers, who is in it, and the segment and journeys that act on them. */
export function CellDetail({ map, form, pick, cell }: Props) {
  const title = pick.row
    ? `${channelLabel(pick.row.channel)} · ${pick.row.touchpoint} in ${pick.stage}`
    : `Every touchpoint in ${pick.stage}`
  const journeys = journeysFor(map.journeys, pick)
  const stageSeg = map.segments[pick.stage]
  return (
    <Panel title={title} className="jm-detail">
      <p>
        <strong>{count(cell.customers)}</strong> customers, {count(cell.events)} touchpoints.{' '}
        <strong>{count(cell.advanced)}</strong> ({pct(cell.advance_rate)}, 95% {pctInterval(cell.ci)}) moved on to a later
        stage within {map.window} after one.
      </p>
      <h3>Acting on them</h3>
      <ul className="jm-acting">
        {stageSeg && (
          <li>
            Segment <Link to={`/segments/${encodeURIComponent(stageSeg)}`}>Stage: {pick.stage}</Link> (who is in the stage now)
          </li>
        )}
        {journeys.map((j) => (
          <li key={j.id}>
            Journey <Link to={`/journeys/${encodeURIComponent(j.id)}`}>{j.name}</Link>{' '}
            <span className="muted">({j.status})</span>
          </li>
        ))}
        {journeys.length === 0 && (
          <li className="muted">
            No live journey enters on this stage or touchpoint. <Link to="/journeys">Build one</Link> to act on these
            customers.
          </li>
        )}
      </ul>
      <SaveCellSegment map={map} pick={pick} />
      <CellCustomers form={form} pick={pick} />
    </Panel>
  )
}

/** Saves the live segment closest to the cell and links to it. */
function SaveCellSegment({ map, pick }: { map: JourneyMapResult; pick: Pick }) {
  const api = useApi()
  const [saved, setSaved] = useState<{ id: string; name: string }>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const body = cellSegment(map, pick)
  useEffect(() => {
    setSaved(undefined)
    setError(undefined)
  }, [pick])
  if (!body) return null
  const save = async () => {
    setBusy(true)
    setError(undefined)
    try {
      const s = await createSegment(api, { name: body.name, description: body.description, definition: body.definition })
      setSaved({ id: s.id, name: s.name })
    } catch (err) {
      setError(`The segment could not be saved: ${errorMessage(err)}`)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="jm-save">
      {saved ? (
        <p role="status">
          Saved as segment <Link to={`/segments/${encodeURIComponent(saved.id)}`}>{saved.name}</Link>; it stays current as
          customers come and go.
        </p>
      ) : (
        <button type="button" className="button-secondary" disabled={busy} onClick={() => void save()}>
          {busy ? 'Saving…' : 'Save as a live segment'}
        </button>
      )}
      {error && <ErrorMessage message={error} />}
    </div>
  )
}

/** Every customer of the cell, for the CSV download. */
function allCustomers(form: MapForm, pick: Pick, moved: Moved): AnalysisCall {
  const call = cellCall(form, pick, moved)
  return { ...call, query: { ...call.query, limit: '100000' } }
}

/** A page at a time of the cell's customers, optionally only those who moved on (or not). */
function CellCustomers({ form, pick }: { form: MapForm; pick: Pick }) {
  const analysis = useAnalysis<CellPage>()
  const [moved, setMoved] = useState<Moved>('any')
  const [pages, setPages] = useState<string[]>([''])
  const after = pages.at(-1) ?? ''
  const { run } = analysis
  useEffect(() => {
    void run(cellCall(form, pick, moved, after))
  }, [run, form, pick, moved, after])
  useEffect(() => setPages(['']), [pick, moved])
  const res = analysis.result
  return (
    <section aria-label="Customers of the cell">
      <h3>Customers</h3>
      <form
        className="m-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void run(cellCall(form, pick, moved, after))
        }}
      >
        <div className="m-row">
          <div className="m-field">
            <label htmlFor="jm-moved">Show</label>
            <select id="jm-moved" value={moved} onChange={(e) => setMoved(e.target.value as Moved)}>
              <option value="any">Everyone</option>
              <option value="yes">Who moved on to a later stage</option>
              <option value="no">Who did not move on</option>
            </select>
          </div>
        </div>
        <RunBar analysis={analysis} general={analysis.error ? errorMessage(analysis.error) : undefined} runLabel="Refresh"
          csv={() => allCustomers(form, pick, moved)} />
      </form>
      {res && (
        <>
          <p className="muted" role="status">
            {count(res.total)} customers{res.total > res.customers.length ? `, showing ${count(res.customers.length)}` : ''}
          </p>
          <TableWrap label="Customers of the cell">
            <table>
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col" className="num">Touchpoints</th>
                  <th scope="col">First</th>
                  <th scope="col">Last</th>
                  <th scope="col">Moved on</th>
                </tr>
              </thead>
              <tbody>
                {res.customers.map((c) => (
                  <tr key={c.profile_id}>
                    <th scope="row">
                      <Link to={`/profiles/${encodeURIComponent(c.profile_id)}`}>{c.name || c.email || c.profile_id}</Link>
                      {(c.name || c.email) && <span className="cell-note">{c.name && c.email ? c.email : c.profile_id}</span>}
                    </th>
                    <td className="num">{count(c.events)}</td>
                    <td>
                      <Time value={c.first} />
                    </td>
                    <td>
                      <Time value={c.last} />
                    </td>
                    <td>{c.advanced ? 'Yes' : 'No'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <div className="jm-pager">
            <button type="button" className="button-secondary" disabled={pages.length < 2}
              onClick={() => setPages((p) => p.slice(0, -1))}>
              Previous page
            </button>
            <button type="button" className="button-secondary" disabled={!res.next}
              onClick={() => setPages((p) => [...p, res.next ?? ''])}>
              Next page
            </button>
          </div>
        </>
      )}
    </section>
  )
}
