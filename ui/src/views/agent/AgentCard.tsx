import { Link } from 'react-router'
import type { Profile } from '../../api'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { Time } from '../../components/Time'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { displayName } from '../profile/traits'
import { identity, interests, ordersOf, trait } from './agent'
import { customerTasks } from './agentApi'

/** The customer in front of a service agent: who, value, recent orders, open tasks, what to offer. */
export function AgentCard({ profile: p }: { profile: Profile }) {
  const api = useApi()
  const history = useLoad((signal) => api.profileEvents(p.id, { limit: 200 }, signal), [api, p.id])
  const tasks = useLoad((signal) => customerTasks(api, p.id, signal), [api, p.id])
  const events = history.data?.events ?? []
  const orders = ordersOf(events).slice(0, 5)
  const likes = interests(events)
  const facts: Array<[string, string | undefined]> = [
    ['Email', identity(p, 'email')],
    ['Phone', identity(p, 'phone')],
    ['Stage', trait(p, 'lifecycle_stage')],
    ['Lifetime revenue', trait(p, 'lifetime_revenue')],
    ['Orders', trait(p, 'order_count')],
    ['Predicted value (CLV)', trait(p, 'predicted_clv')],
    ['Still active (p_alive)', trait(p, 'p_alive')],
    ['Prefers', trait(p, 'preferred_channel')],
    ['Time zone', trait(p, 'timezone')],
  ]
  return (
    <div className="panel-grid">
      <Panel title={displayName(p)}>
        <dl className="agent-facts">
          {facts
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
        </dl>
        <p>
          <Link to={`/profiles/${encodeURIComponent(p.id)}`}>Open the full 360° profile</Link>
        </p>
      </Panel>
      <Panel title="What to offer" loading={history.loading && !history.data} error={history.error}>
        {likes.length === 0 ? (
          <p className="muted">No recent product interest on record.</p>
        ) : (
          <ul>
            {likes.map((l) => (
              <li key={l.category}>
                <strong>{l.category}</strong> — looked at {l.count} {l.count === 1 ? 'time' : 'times'} recently
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title="Open tasks" loading={tasks.loading && !tasks.data} error={tasks.error} isEmpty={tasks.data?.length === 0}
        empty={<EmptyState title="No open tasks">Nothing is waiting for an agent about this customer.</EmptyState>}>
        <ul>
          {(tasks.data ?? []).map((t) => (
            <li key={t.key}>
              {t.journey_id ?? 'task'} · <Time value={t.created_at} />
              {t.claimed_by && <span className="cell-note">claimed by {t.claimed_by}</span>}
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title="Recent orders" className="span-all" loading={history.loading && !history.data} error={history.error}
        isEmpty={history.data !== undefined && orders.length === 0}
        empty={<EmptyState title="No orders yet">This customer has not bought anything we know of.</EmptyState>}>
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Order</th>
              <th scope="col">Channel</th>
              <th scope="col">Items</th>
              <th scope="col" className="num">Revenue</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={`${o.at}-${o.id}`}>
                <td className="nowrap"><Time value={o.at} /></td>
                <th scope="row">{o.id || '—'}</th>
                <td>{o.channel}</td>
                <td>{o.items.join(', ') || '—'}</td>
                <td className="num">{o.revenue === undefined ? '—' : o.revenue.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  )
}
