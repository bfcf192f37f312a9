import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { Time } from '../../components/Time'
import { TableWrap } from '../../components/TableWrap'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { useSourceNames } from '../../useSourceNames'

export const RECENT_REJECTIONS = 10

export function RejectionsPanel() {
  const api = useApi()
  const sourceName = useSourceNames()
  const { data, error, loading, reload } = useLoad((signal) => api.rejections(RECENT_REJECTIONS, signal), [api])
  return (
    <Panel
      title="Recent rejections"
      className="span-all"
      loading={loading && !data}
      error={error}
      onRetry={reload}
      isEmpty={data?.length === 0}
      empty={
        <EmptyState title="No rejected events">
          <p>
            Every event received so far was valid. When an SDK sends an event Cairn cannot use (no userId or
            anonymousId, a malformed timestamp…), it shows up here with the reason and how to fix it.
          </p>
        </EmptyState>
      }
    >
      {data && (
        <TableWrap label="Rejection list">
          <table>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Source</th>
                <th scope="col">Reason</th>
                <th scope="col">What to fix</th>
              </tr>
            </thead>
            <tbody>
              {data.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">
                    <Time value={r.received_at} />
                  </td>
                  <td className="nowrap">{sourceName(r.source_id)}</td>
                  <td className="nowrap">
                    <code>{r.reason}</code>
                  </td>
                  <td>
                    {r.detail}
                    {r.field && (
                      <span className="cell-note">
                        Field: <code>{r.field}</code>
                      </span>
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
