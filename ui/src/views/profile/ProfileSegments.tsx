import { Link } from 'react-router'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { TableWrap } from '../../components/TableWrap'
import { Time } from '../../components/Time'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'

/** The live segments the customer is in (GET /v1/profiles/{ref}/segments), by name. */
export function ProfileSegments({ profileId }: { profileId: string }) {
  const api = useApi()
  const { data, error, loading, reload } = useLoad((signal) => api.profileSegments(profileId, signal), [api, profileId])
  return (
    <Panel
      title="Segments"
      loading={loading && !data}
      error={error}
      onRetry={reload}
      isEmpty={data?.length === 0}
      empty={
        <EmptyState title="Not in any segment">
          <p>
            This customer is in no live segment right now; they join one the moment an event or a trait qualifies
            them. See the segments on the <Link to="/">Overview</Link>.
          </p>
        </EmptyState>
      }
    >
      {data && (
        <TableWrap label="Segment list">
          <table>
            <thead>
              <tr>
                <th scope="col">Segment</th>
                <th scope="col">Member since</th>
              </tr>
            </thead>
            <tbody>
              {data.map((m) => (
                <tr key={m.segment_id}>
                  <th scope="row">{m.name}</th>
                  <td className="nowrap">
                    <Time value={m.since} />
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
