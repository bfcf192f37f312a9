import { Panel } from '../../components/Panel'
import { Time } from '../../components/Time'
import { formatNumber } from '../../format'
import { SegmentStatus, statusHelp } from './SegmentStatus'
import type { SegmentDetail } from './types'

/** Status (with the backfill's progress), size, version, and the definition as text. */
export function SummaryPanel({ segment: s, error }: { segment: SegmentDetail; error: string | undefined }) {
  return (
    <Panel title="Definition" error={error}>
      <dl className="seg-facts">
        <div>
          <dt>Status</dt>
          <dd>
            <SegmentStatus segment={s} />
            <span className="cell-note">{statusHelp(s.status)}</span>
          </dd>
        </div>
        <div>
          <dt>Members</dt>
          <dd className="seg-big">{s.size !== undefined ? formatNumber(s.size) : '—'}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>
            {s.version} <span className="cell-note">saved <Time value={s.updated_at} /></span>
          </dd>
        </div>
      </dl>
      {s.backfill && (
        <div className="seg-backfill">
          <label htmlFor="seg-backfill">
            Computing the stored profiles: {formatNumber(s.backfill.done)} of {formatNumber(s.backfill.total)}
          </label>
          <progress id="seg-backfill" max={100} value={s.backfill.percent}>
            {Math.floor(s.backfill.percent)}%
          </progress>
        </div>
      )}
      <pre className="seg-code" aria-label="Definition as text">
        {s.text}
      </pre>
    </Panel>
  )
}
