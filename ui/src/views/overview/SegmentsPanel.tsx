import { Link } from 'react-router'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { StatusBadge } from '../../components/StatusBadge'
import { TableWrap } from '../../components/TableWrap'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'

export function SegmentsPanel() {
  const api = useApi()
  const { data, error, loading, reload } = useLoad((signal) => api.segments(signal), [api])
  return (
    <Panel
      title="Segments"
      loading={loading && !data}
      error={error}
      onRetry={reload}
      isEmpty={data?.length === 0}
      empty={
        <EmptyState title="No segments yet">
          <p>
            Segments group customers by what they do and who they are, and stay current as events arrive. Build one on
            the <Link to="/segments">Segments</Link> page, or with{' '}
            <code>cairn segments create --text 'performed "Order Completed" within 30d' --name "Recent buyers"</code>.
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
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {[...data]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      {s.name}
                      {s.description && <span className="cell-note">{s.description}</span>}
                    </th>
                    <td>
                      <StatusBadge status={s.status} />
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
