import { useState } from 'react'
import { Link } from 'react-router'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { Time } from '../../components/Time'
import { TableWrap } from '../../components/TableWrap'
import { formatNumber } from '../../format'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'

export const PROFILE_PAGE_SIZE = 20

/** Profiles by id, a page at a time (GET /v1/profiles); with trait, only those with that trait value. */
export function ProfileList({ trait }: { trait?: { path: string; value: string } } = {}) {
  const api = useApi()
  // The cursors of the pages before the current one; the last is the current page's.
  const [cursors, setCursors] = useState<string[]>([''])
  const cursor = cursors[cursors.length - 1] ?? ''
  const { data, error, loading, reload } = useLoad(
    (signal) => api.profiles({ limit: PROFILE_PAGE_SIZE, cursor, ...(trait ? { trait } : {}) }, signal),
    [api, cursor, trait],
  )
  const page = cursors.length

  return (
    <Panel
      title={trait ? `Profiles with ${trait.path} = ${trait.value}` : 'All profiles'}
      loading={loading && !data}
      error={error}
      onRetry={reload}
      isEmpty={data?.profiles.length === 0 && page === 1}
      empty={
        trait ? (
          <EmptyState title="No profile has that trait value">
            <p>
              The value must match exactly (numbers and true/false as such, text as typed). Open a profile to see the
              paths of its traits, such as <code>address.city</code>.
            </p>
          </EmptyState>
        ) : (
        <EmptyState title="No profiles yet">
          <p>
            A profile is created when an event with a userId, email, phone or anonymousId arrives. Point an SDK at
            this server — see <Link to="/sources">Sources</Link> — or import a file with{' '}
            <code>cairn import customers.csv --source NAME</code>.
          </p>
        </EmptyState>
        )
      }
    >
      {data && (
        <>
          <TableWrap label="Profile list">
            <table aria-busy={loading || undefined}>
              <thead>
                <tr>
                  <th scope="col">Profile</th>
                  <th scope="col">Channels</th>
                  <th scope="col" className="num">
                    Events
                  </th>
                  <th scope="col">First seen</th>
                  <th scope="col">Last seen</th>
                </tr>
              </thead>
              <tbody>
                {data.profiles.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      <Link to={`/profiles/${encodeURIComponent(p.id)}`}>
                        {p.name || p.email || p.user_id ? p.name || p.email || p.user_id : <code>{p.id}</code>}
                      </Link>
                      {(p.name ? p.email || p.user_id : p.email && p.user_id) && (
                        <span className="cell-note">{p.name ? p.email || p.user_id : p.user_id}</span>
                      )}
                    </th>
                    <td>{p.channels.join(', ') || <span className="muted">—</span>}</td>
                    <td className="num">{formatNumber(p.event_count)}</td>
                    <td className="nowrap">
                      <Time value={p.first_seen} />
                    </td>
                    <td className="nowrap">
                      <Time value={p.last_seen} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {(page > 1 || data.next_cursor) && (
            <nav className="pager" aria-label="Profile pages">
              <button
                type="button"
                className="button-secondary"
                disabled={page === 1 || loading}
                onClick={() => setCursors((c) => c.slice(0, -1))}
              >
                Previous
              </button>
              <span className="muted">Page {page}</span>
              <button
                type="button"
                className="button-secondary"
                disabled={!data.next_cursor || loading}
                onClick={() => setCursors((c) => [...c, data.next_cursor])}
              >
                Next
              </button>
            </nav>
          )}
        </>
      )}
    </Panel>
  )
}
