import { useState } from 'react'
import { Link } from 'react-router'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { Chart } from '../measurement/Chart'
import { trafficSeries } from './overviewApi'
import { byChannel, trafficOption } from './traffic'

const MINUTES = 60

/** Events per minute over the last hour, by source or by channel, refreshed every 10 s. */
export function TrafficPanel() {
  const api = useApi()
  const [by, setBy] = useState<'source' | 'channel'>('source')
  const { data, error, loading, reload } = useLoad((signal) => trafficSeries(api, MINUTES, signal), [api], 10_000)
  const total = data?.sources.reduce((n, s) => n + s.total, 0) ?? 0
  return (
    <Panel
      title="Events per minute"
      className="span-all"
      loading={loading && !data}
      error={error}
      onRetry={reload}
      actions={
        <label className="inline-select">
          By{' '}
          <select value={by} onChange={(e) => setBy(e.target.value as 'source' | 'channel')}>
            <option value="source">source</option>
            <option value="channel">channel</option>
          </select>
        </label>
      }
      isEmpty={data !== undefined && total === 0}
      empty={
        <EmptyState title="No events in the last hour">
          <p>
            Events appear here as sources send them (counted since the server started). Create a source and send a
            test event from the <Link to="/sources">Sources</Link> page.
          </p>
        </EmptyState>
      }
    >
      {data && total > 0 && (
        <>
          <p className="muted">
            {total.toLocaleString()} events in the last {MINUTES} minutes from {data.sources.length}{' '}
            {data.sources.length === 1 ? 'source' : 'sources'}.
          </p>
          <Chart
            option={trafficOption(by === 'channel' ? byChannel(data) : data)}
            label={`Events per minute by ${by} over the last ${MINUTES} minutes`}
            size="short"
          />
        </>
      )}
    </Panel>
  )
}
