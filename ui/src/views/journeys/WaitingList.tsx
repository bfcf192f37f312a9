import { useState } from 'react'
import { Link } from 'react-router'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Time } from '../../components/Time'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { waitingAt, type JourneyInstance } from './journeysApi'

/** The customers at a step now (GET /v1/journeys/{id}/instances?status=active&node=), 20 at a time. */
export function WaitingList({ journeyId, node }: { journeyId: string; node: string }) {
  const api = useApi()
  const [pages, setPages] = useState<JourneyInstance[]>([])
  const [cursor, setCursor] = useState('')
  const page = useLoad((signal) => waitingAt(api, journeyId, node, cursor, signal), [api, journeyId, node, cursor])
  // While the next page loads, the previous one is already in pages.
  const shown = [...pages, ...(page.loading ? [] : (page.data?.instances ?? []))]
  if (page.error) return <ErrorMessage message={page.error} onRetry={page.reload} />
  if (page.loading && !shown.length) return <p className="muted" role="status">Loading who is here…</p>
  if (!shown.length) return <p className="muted">No customer is at this step now.</p>
  return (
    <div className="jr-waiting">
      <ul aria-label={`Customers at ${node}`}>
        {shown.map((i) => (
          <li key={i.id}>
            <Link to={`/profiles/${encodeURIComponent(i.profile_id)}`}>{i.profile_id}</Link>
            <span className="muted">
              {' '}
              here since <Time value={i.updated_at} />
              {i.key ? ` · ${i.key}` : ''} · v{i.version}
            </span>
          </li>
        ))}
      </ul>
      {!page.loading && page.data?.next_cursor && (
        <button
          type="button"
          className="button-secondary jr-small"
          onClick={() => {
            setPages(shown)
            setCursor(page.data?.next_cursor ?? '')
          }}
        >
          Show more
        </button>
      )}
    </div>
  )
}
