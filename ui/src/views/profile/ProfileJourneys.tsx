import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { StatusBadge } from '../../components/StatusBadge'
import { TableWrap } from '../../components/TableWrap'
import { Time } from '../../components/Time'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'

/** The customer's journeys, active and exited, with the step they are at (GET /v1/profiles/{ref}/journeys). */
export function ProfileJourneys({ profileId }: { profileId: string }) {
  const api = useApi()
  const { data, error, loading, reload } = useLoad((signal) => api.profileJourneys(profileId, signal), [api, profileId])
  return (
    <Panel
      title="Journeys"
      loading={loading && !data}
      error={error}
      onRetry={reload}
      isEmpty={data?.length === 0}
      empty={
        <EmptyState title="Not in any journey">
          <p>This customer has not entered a journey. They enter one when they meet a live journey's entry rule.</p>
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
                <th scope="col">Step</th>
                <th scope="col">Entered</th>
              </tr>
            </thead>
            <tbody>
              {data.map((i) => (
                <tr key={i.id}>
                  <th scope="row">{i.journey_name}</th>
                  <td>
                    <StatusBadge status={i.status} />
                    {i.exit_reason && <span className="cell-note">{i.exit_reason}</span>}
                  </td>
                  <td>
                    <code>{i.node}</code>
                  </td>
                  <td className="nowrap">
                    <Time value={i.entered_at} />
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
