import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { StatusBadge } from '../../components/StatusBadge'
import { TableWrap } from '../../components/TableWrap'
import { Time } from '../../components/Time'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { profileMessages, type Message } from './profileActionsApi'

/** The engagements worth showing, in the order a message goes through them. */
const ENGAGEMENTS = ['delivered', 'seen', 'opened', 'clicked', 'dismissed', 'bounced', 'complained', 'unsubscribed']

function engagementText(m: Message): string {
  const kinds = new Set(m.engagements.map((e) => e.type))
  const shown = ENGAGEMENTS.filter((k) => kinds.has(k))
  return shown.length > 0 ? shown.join(', ') : '—'
}

/** Messages Cairn sent (or held back) to the customer, with what they did with them. */
export function ProfileMessages({ profileId }: { profileId: string }) {
  const api = useApi()
  const { data, error, loading, reload } = useLoad((signal) => profileMessages(api, profileId, signal), [api, profileId])
  return (
    <Panel
      title="Messages"
      className="span-all"
      loading={loading && !data}
      error={error}
      onRetry={reload}
      isEmpty={data?.length === 0}
      empty={
        <EmptyState title="No messages yet">
          <p>Messages appear here when a journey or a transactional send reaches this customer, with opens and clicks.</p>
        </EmptyState>
      }
    >
      {data && (
        <TableWrap label="Message list">
          <table>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Channel</th>
                <th scope="col">Template</th>
                <th scope="col">Journey</th>
                <th scope="col">Status</th>
                <th scope="col">Engagement</th>
              </tr>
            </thead>
            <tbody>
              {data.map((m) => (
                <tr key={m.key}>
                  <td className="nowrap">
                    <Time value={m.created_at} />
                  </td>
                  <th scope="row">{m.channel}</th>
                  <td>{m.template_id ?? <span className="muted">—</span>}</td>
                  <td>{m.journey_id ? `${m.journey_id} · ${m.node_id ?? ''}` : <span className="muted">transactional</span>}</td>
                  <td>
                    <StatusBadge status={m.status} />
                    {m.reason && <span className="cell-note">{m.reason}</span>}
                  </td>
                  <td>{engagementText(m)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Panel>
  )
}
