import { useState } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { TableWrap } from '../../components/TableWrap'
import { formatNumber } from '../../format'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { Chart } from '../measurement/Chart'
import { bucketLabel, historyOption } from './historyOption'
import { segmentHistory } from './segmentsApi'

interface Props {
  segmentId: string
  live: boolean
  /** Changes when what is shown may have changed (a new version, the end of a backfill). */
  refresh: string
}

/** Size over time, per day or hour, from the segment's entered and exited transitions. */
export function HistoryPanel({ segmentId, live, refresh }: Props) {
  const api = useApi()
  const [bucket, setBucket] = useState('day')
  // Loaded once per view: the server scans the event log for it (not for polling).
  const h = useLoad(
    (signal) => (live ? segmentHistory(api, segmentId, { bucket }, signal) : Promise.resolve(undefined)),
    [api, segmentId, bucket, live, refresh],
  )
  const points = h.data?.history ?? []
  const changes = points.some((p) => p.entered || p.exited || p.size)
  return (
    <Panel
      title="Size over time"
      loading={live && h.loading && !h.data}
      error={h.error}
      onRetry={h.reload}
      isEmpty={!live || (h.data !== undefined && !changes)}
      empty={
        <EmptyState title={live ? 'No members yet in this period' : 'Not computed'}>
          <p>
            {live
              ? 'The size is drawn from people entering and leaving the segment; it appears as soon as someone does.'
              : 'This segment is not live, so it has no members and no history. It can still be previewed in the editor.'}
          </p>
        </EmptyState>
      }
      actions={
        live && (
          <label className="seg-inline-label">
            <span>Per</span>
            <select value={bucket} onChange={(e) => setBucket(e.target.value)} aria-label="Bucket size">
              <option value="day">day (30 days)</option>
              <option value="hour">hour (30 hours)</option>
            </select>
          </label>
        )
      }
    >
      {h.data && (
        <>
          <Chart option={historyOption(points, h.data.bucket)} label={`Members per ${h.data.bucket}, now ${formatNumber(h.data.size)}`} size="short" />
          <details>
            <summary>Show as a table</summary>
            <TableWrap label="Size over time">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{h.data.bucket === 'hour' ? 'Hour (UTC)' : 'Day (UTC)'}</th>
                    <th scope="col" className="num">Members at the end</th>
                    <th scope="col" className="num">Entered</th>
                    <th scope="col" className="num">Left</th>
                  </tr>
                </thead>
                <tbody>
                  {points.map((p) => (
                    <tr key={p.at}>
                      <th scope="row">{bucketLabel(p.at, h.data?.bucket ?? 'day')}</th>
                      <td className="num">{formatNumber(p.size)}</td>
                      <td className="num">{formatNumber(p.entered)}</td>
                      <td className="num">{formatNumber(p.exited)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </details>
        </>
      )}
    </Panel>
  )
}
