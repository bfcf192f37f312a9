import { useState } from 'react'
import { Link } from 'react-router'
import type { Journey } from '../../api'
import { EmptyState } from '../../components/EmptyState'
import { Page } from '../../components/Page'
import { Panel } from '../../components/Panel'
import { StatusBadge } from '../../components/StatusBadge'
import { TableWrap } from '../../components/TableWrap'
import { formatNumber } from '../../format'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { journeyStats } from './journeysApi'
import { NewJourneyForm } from './NewJourneyForm'

const ORDER: Record<string, number> = { live: 0, paused: 1, draft: 2, stopped: 3 }
const sorted = (list: Journey[]) => [...list].sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || a.name.localeCompare(b.name))

/** /journeys — every journey with its status, live version and, once published, its numbers. */
export function JourneyList() {
  const api = useApi()
  const list = useLoad((signal) => api.journeys(signal), [api])
  const [creating, setCreating] = useState(false)
  const newButton = (
    <button type="button" className="button-primary" onClick={() => setCreating(true)} disabled={creating}>
      New journey
    </button>
  )
  return (
    <Page title="Journeys" lead="Customer journeys drawn as steps: messages, waits, splits and experiments." actions={newButton}>
      {creating && (
        <Panel title="New journey">
          <NewJourneyForm onCancel={() => setCreating(false)} />
        </Panel>
      )}
      <Panel
        title="All journeys"
        loading={list.loading && !list.data}
        error={list.error}
        onRetry={list.reload}
        isEmpty={list.data?.length === 0}
        empty={
          <EmptyState title="No journeys yet">
            <p>Start one with “New journey”: it begins as a draft with an entry and an exit, and you add messages, waits and splits on the canvas. <code>cairn serve --demo</code> comes with three examples.</p>
          </EmptyState>
        }
      >
        {list.data && (
          <TableWrap label="Journey list">
            <table>
              <thead>
                <tr>
                  <th scope="col">Journey</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">Live version</th>
                  <th scope="col" className="num">Entered</th>
                  <th scope="col" className="num">In it now</th>
                  <th scope="col" className="num">Reached goal</th>
                </tr>
              </thead>
              <tbody>
                {sorted(list.data).map((j) => (
                  <tr key={j.id}>
                    <th scope="row">
                      <Link to={`/journeys/${encodeURIComponent(j.id)}`}>{j.name || j.id}</Link>
                      <span className="cell-note">
                        <code>{j.id}</code>
                      </span>
                    </th>
                    <td>
                      <StatusBadge status={j.status} />
                    </td>
                    <td className="num">{j.live_version ? `v${j.live_version}` : <span className="muted">—</span>}</td>
                    {j.live_version ? <Numbers id={j.id} /> : <NoNumbers />}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Panel>
    </Page>
  )
}

/** Entered, active and goals of a published journey (GET /v1/journeys/{id}/stats). */
function Numbers({ id }: { id: string }) {
  const api = useApi()
  const { data, error } = useLoad((signal) => journeyStats(api, id, signal), [api, id])
  if (!data) return error ? <td colSpan={3} className="muted">{error}</td> : <NoNumbers />
  const active = (data.nodes ?? []).reduce((s, n) => s + n.active, 0)
  return (
    <>
      <td className="num">{formatNumber(data.entered)}</td>
      <td className="num">{formatNumber(active)}</td>
      <td className="num">{formatNumber(data.goals)}</td>
    </>
  )
}

function NoNumbers() {
  return (
    <>
      <td className="num muted">—</td>
      <td className="num muted">—</td>
      <td className="num muted">—</td>
    </>
  )
}
