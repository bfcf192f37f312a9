import { useState, type ReactNode } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Panel } from '../../components/Panel'
import { plural } from '../../format'
import { DebuggerTable } from './DebuggerTable'
import { DebuggerToolbar, type Filter } from './DebuggerToolbar'
import { MAX_ROWS, type FeedRow } from './feed'
import { useDebuggerFeed } from './useDebuggerFeed'
import type { EventSourceClass, StreamState } from './useEventStream'

interface Props {
  /** One source's events; every source's when absent. */
  sourceId?: string
  title?: string
  /** What to do to see a first event (under "Waiting for events…"). */
  hint: ReactNode
  /** The EventSource class (a fake in tests). */
  eventSource?: EventSourceClass
}

const STATE_TEXT: Record<StreamState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
  unsupported: 'Not available',
}

function matches(r: FeedRow, f: Filter): boolean {
  const e = r.event
  if (f.kind && e.kind !== f.kind) return false
  const q = f.text.trim().toLowerCase()
  if (!q) return true
  const words = e.kind === 'rejected' ? [e.reason] : [e.type, e.event]
  return words.some((w) => w?.toLowerCase().includes(q))
}

/** Events as they arrive (newest first, the last 200), with validation errors highlighted. */
export function DebuggerPanel({ sourceId, title = 'Live events', hint, eventSource }: Props) {
  const feed = useDebuggerFeed(sourceId, eventSource)
  const [filter, setFilter] = useState<Filter>({ kind: '', text: '' })
  const shown = feed.rows.filter((r) => matches(r, filter))

  return (
    <Panel
      title={title}
      className="dbg-panel"
      actions={
        <span className={`badge dbg-state dbg-state-${feed.state}`} role="status">
          <span className="dbg-dot" aria-hidden="true" />
          {STATE_TEXT[feed.state]}
        </span>
      }
    >
      <DebuggerToolbar
        filter={filter}
        onFilter={setFilter}
        paused={feed.paused}
        onPause={feed.pause}
        onResume={feed.resume}
        onClear={feed.clear}
      />
      {feed.state === 'closed' && (
        <ErrorMessage
          message="The live stream closed. Your session may have ended or the server restarted."
          onRetry={feed.reconnect}
        />
      )}
      {feed.state === 'unsupported' && <ErrorMessage message="This browser cannot open a live event stream." />}
      {feed.dropped > 0 && (
        <p className="notice dbg-notice" role="status">
          {plural(feed.dropped, 'event')} skipped because this page fell behind. They were received as usual; only
          the live view missed them.
        </p>
      )}
      {feed.paused && (
        <p className="notice" role="status">
          Paused{feed.missed > 0 ? `: ${plural(feed.missed, 'new event')} not shown` : ''}. Resume to see events as
          they arrive.
        </p>
      )}
      {feed.rows.length === 0 ? (
        <EmptyState title="Waiting for events…">{hint}</EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState title="No event matches the filter">
          <p>Change or clear the filter to see the {plural(feed.rows.length, 'event')} received.</p>
        </EmptyState>
      ) : (
        <>
          <DebuggerTable rows={shown} showSource={!sourceId} />
          <p className="hint">
            Showing {plural(shown.length, 'event')}
            {shown.length < feed.rows.length ? ` of ${feed.rows.length}` : ''}; the newest {MAX_ROWS} are kept.
          </p>
        </>
      )}
    </Panel>
  )
}
