import { Link } from 'react-router'
import type { Stats } from '../../api'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { formatNumber, formatSeconds, plural } from '../../format'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'

/** How often the counters refresh while the page is visible. */
export const STATS_REFRESH_MS = 5000

export function StatsPanel() {
  const api = useApi()
  const { data, error, loading, reload } = useLoad((signal) => api.stats(signal), [api], STATS_REFRESH_MS)
  return (
    <Panel
      title="Events and profiles"
      className="span-all"
      loading={loading && !data}
      error={error}
      onRetry={reload}
      isEmpty={data?.received === 0}
      empty={
        <EmptyState title="No events yet">
          <p>
            Point an SDK at this server — see <Link to="/sources">Sources</Link> for a write key. Any unmodified
            Segment or RudderStack SDK works; to try Cairn with sample data, run <code>cairn serve --demo</code>.
          </p>
        </EmptyState>
      }
    >
      {data && <Counters stats={data} />}
    </Panel>
  )
}

function Counters({ stats }: { stats: Stats }) {
  return (
    <dl className="counters">
      <Counter label="Events received" value={stats.received} note={`${plural(stats.duplicates, 'duplicate')} acknowledged`} />
      <Counter label="Events stored" value={stats.stored} note={`${plural(stats.rejected, 'event')} rejected`} />
      <Counter label="Events processed" value={stats.processed} note={`of ${formatNumber(stats.head)} in the log`} />
      <Counter label="Profiles" value={stats.profiles} />
      <div className="counter">
        <dt>Processing lag</dt>
        <dd>
          <span className="counter-value">{stats.lag_events === 0 ? 'Up to date' : plural(stats.lag_events, 'event')}</span>
          {stats.lag_events > 0 && (
            <span className="counter-note">{formatSeconds(stats.lag_seconds)} behind</span>
          )}
        </dd>
      </div>
    </dl>
  )
}

function Counter({ label, value, note }: { label: string; value: number; note?: string }) {
  return (
    <div className="counter">
      <dt>{label}</dt>
      <dd>
        <span className="counter-value">{formatNumber(value)}</span>
        {note && <span className="counter-note">{note}</span>}
      </dd>
    </div>
  )
}
