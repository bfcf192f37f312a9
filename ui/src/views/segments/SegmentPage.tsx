import { useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Page } from '../../components/Page'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { DeleteSegment } from './DeleteSegment'
import { ExportButton } from './ExportButton'
import { HistoryPanel } from './HistoryPanel'
import { MembersPanel } from './MembersPanel'
import { getSegment } from './segmentsApi'
import { SummaryPanel } from './SummaryPanel'
import { VersionsPanel } from './VersionsPanel'

/** /segments/:id: the definition, status and size, size over time, members, versions; edit, export, delete. */
export function SegmentPage({ id }: { id: string }) {
  const api = useApi()
  const navigate = useNavigate()
  const [backfilling, setBackfilling] = useState(false)
  // Polled while the backfill runs, so its progress and the size move.
  const seg = useLoad(
    async (signal) => {
      const s = await getSegment(api, id, signal)
      setBackfilling(s.status === 'backfilling')
      return s
    },
    [api, id],
    backfilling ? 2000 : undefined,
  )
  const s = seg.data
  if (!s) {
    return (
      <Page title="Segment">
        <section className="panel">
          {seg.error ? (
            <>
              <ErrorMessage message={seg.error} onRetry={seg.reload} />
              <p>
                <Link to="/segments">Back to the segments</Link>
              </p>
            </>
          ) : (
            <p className="muted" role="status">
              Loading the segment…
            </p>
          )}
        </section>
      </Page>
    )
  }
  const live = s.status !== 'defined'
  return (
    <Page
      title={s.name}
      lead={s.description || undefined}
      actions={
        <div className="seg-page-actions">
          <Link className="button-primary seg-button-link" to={`/segments/${encodeURIComponent(s.id)}/edit`}>
            Edit
          </Link>
          <ExportButton segmentId={s.id} disabled={!live} />
          <DeleteSegment segment={s} onDeleted={() => navigate('/segments')} />
        </div>
      }
    >
      <SummaryPanel segment={s} error={seg.error} />
      {/* Reloaded when the version or the status changes (a backfill ends), members also when the size moves. */}
      <HistoryPanel segmentId={s.id} live={live} refresh={`${s.version}:${s.status}`} />
      <MembersPanel segmentId={s.id} live={live} refresh={`${s.version}:${s.status}:${s.size ?? ''}`} />
      <VersionsPanel segmentId={s.id} current={s.version} />
    </Page>
  )
}
