import { useId, useState, type FormEvent } from 'react'
import { errorMessage, type TimelineEvent } from '../../api'
import { EmptyState } from '../../components/EmptyState'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Panel } from '../../components/Panel'
import { TableWrap } from '../../components/TableWrap'
import { Time } from '../../components/Time'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { useSourceNames } from '../../useSourceNames'

export const TIMELINE_PAGE_SIZE = 50
export const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const

interface Filter {
  type: string
  event: string
}

/** Every event of the customer, newest first, filterable by type and event name. */
export function Timeline({ profileId }: { profileId: string }) {
  const [filter, setFilter] = useState<Filter>({ type: '', event: '' })
  const [draft, setDraft] = useState<Filter>(filter)
  const typeId = useId()
  const eventId = useId()

  function apply(e: FormEvent) {
    e.preventDefault()
    setFilter({ type: draft.type, event: draft.event.trim() })
  }

  return (
    <Panel title="Timeline" className="span-all">
      <form className="filters" onSubmit={apply} aria-label="Filter the timeline">
        <div className="field">
          <label htmlFor={typeId}>Type</label>
          <select id={typeId} value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value })}>
            <option value="">All types</option>
            {EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={eventId}>Event name</label>
          <input
            id={eventId}
            type="text"
            value={draft.event}
            placeholder="Order Completed"
            onChange={(e) => setDraft({ ...draft, event: e.target.value })}
          />
        </div>
        <button type="submit" className="button-secondary">
          Apply
        </button>
      </form>
      <TimelineResults key={`${profileId}|${filter.type}|${filter.event}`} profileId={profileId} filter={filter} />
    </Panel>
  )
}

function TimelineResults({ profileId, filter }: { profileId: string; filter: Filter }) {
  const api = useApi()
  const sourceName = useSourceNames()
  const query = { type: filter.type, event: filter.event, limit: TIMELINE_PAGE_SIZE }
  const first = useLoad((signal) => api.profileEvents(profileId, query, signal), [api, profileId])
  const [more, setMore] = useState<{ events: TimelineEvent[]; next: string } | undefined>()
  const [moreError, setMoreError] = useState<string>()
  const [busy, setBusy] = useState(false)

  if (first.loading && !first.data) {
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    )
  }
  if (!first.data) return <ErrorMessage message={first.error ?? 'The timeline could not be loaded.'} onRetry={first.reload} />

  const events = [...first.data.events, ...(more?.events ?? [])]
  const next = more ? more.next : first.data.next_cursor
  const filtered = filter.type !== '' || filter.event !== ''

  async function loadMore() {
    setBusy(true)
    setMoreError(undefined)
    try {
      const page = await api.profileEvents(profileId, { ...query, cursor: next })
      setMore((m) => ({ events: [...(m?.events ?? []), ...page.events], next: page.next_cursor }))
    } catch (err) {
      setMoreError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  if (events.length === 0) {
    return filtered ? (
      <EmptyState title="No events match">
        <p>No event of this customer has this type and name. Clear the filters to see every event.</p>
      </EmptyState>
    ) : (
      <EmptyState title="No events">
        <p>This customer has no events on their timeline yet.</p>
      </EmptyState>
    )
  }

  return (
    <>
      <TableWrap label="Event list">
        <table className="timeline">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Type</th>
              <th scope="col">Event</th>
              <th scope="col">Channel</th>
              <th scope="col">Source</th>
              <th scope="col">Payload</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.seq}>
                <th scope="row" className="nowrap">
                  <Time value={e.timestamp} />
                </th>
                <td>{e.type}</td>
                <td>{e.event ?? <span className="muted">—</span>}</td>
                <td>{e.channel || <span className="muted">—</span>}</td>
                <td>{sourceName(e.source_id)}</td>
                <td>
                  {e.payload !== undefined ? (
                    <details>
                      <summary>Show</summary>
                      <pre className="payload">{JSON.stringify(e.payload, null, 2)}</pre>
                    </details>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {moreError && <ErrorMessage message={moreError} onRetry={loadMore} />}
      <div className="pager">
        {next ? (
          <button type="button" className="button-secondary" onClick={loadMore} disabled={busy}>
            {busy ? 'Loading…' : 'Load more'}
          </button>
        ) : (
          <span className="muted">
            {events.length} {events.length === 1 ? 'event' : 'events'}, the whole timeline
            {filtered ? ' for these filters' : ''}.
          </span>
        )}
      </div>
    </>
  )
}
