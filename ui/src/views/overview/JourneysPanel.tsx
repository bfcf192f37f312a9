import type { Journey } from '../../api'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { StatusBadge } from '../../components/StatusBadge'
import { TableWrap } from '../../components/TableWrap'
import { formatNumber } from '../../format'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'

const ORDER: Record<string, number> = { live: 0, paused: 1, draft: 2, stopped: 3 }

/** Live journeys first, then paused, drafts and stopped ones, each by name. */
export function sortJourneys(list: Journey[]): Journey[] {
  return [...list].sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || a.name.localeCompare(b.name))
}

export function JourneysPanel() {
  const api = useApi()
  const { data, error, loading, reload } = useLoad((signal) => api.journeys(signal), [api])
  return (
    <Panel
      title="Journeys"
      loading={loading && !data}
      error={error}
      onRetry={reload}
      isEmpty={data?.length === 0}
      empty={
        <EmptyState title="No journeys yet">
          <p>
            A journey sends the right message at the right step of a customer's path. Until the canvas editor arrives,
            create one with <code>cairn journeys create -f journey.yaml</code> and publish it with{' '}
            <code>cairn journeys publish ID</code>; <code>cairn serve --demo</code> comes with three examples.
          </p>
        </EmptyState>
      }
    >
      {data && (
        <TableWrap label="Journey list">
          <table>
            <thead>
              <tr>
                <th scope="col">Journey</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Entered
                </th>
                <th scope="col" className="num">
                  Reached goal
                </th>
              </tr>
            </thead>
            <tbody>
              {sortJourneys(data).map((j) => (
                <tr key={j.id}>
                  <th scope="row">{j.name || j.id}</th>
                  <td>
                    <StatusBadge status={j.status} />
                  </td>
                  {j.live_version ? <JourneyNumbers id={j.id} /> : <EmptyNumbers />}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Panel>
  )
}

/** Entries and goals of a published journey (GET /v1/journeys/{id}/stats). */
function JourneyNumbers({ id }: { id: string }) {
  const api = useApi()
  const { data, error } = useLoad(
(signal) => api.journeyStats(id, signal), [api, id]
  )
  if (!data) {
    return error ? (
      <td colSpan={2} className="muted">
        {error}
      </td>
    ) : (
      <EmptyNumbers />
    )
  }
  return (
    <>
      <td className="num">{formatNumber(data.entered)}</td>
      <td className="num">{formatNumber(data.goals)}</td>
    </>
  )
}

function EmptyNumbers() {
  return (
    <>
      <td className="num muted">—</td>
      <td className="num muted">—</td>
    </>
  )
}
