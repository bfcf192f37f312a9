import { StatusBadge } from '../../components/StatusBadge'
import type { SegmentDetail } from './types'

/** live, defined, or backfilling with its percentage. */
export function SegmentStatus({ segment }: { segment: Pick<SegmentDetail, 'status' | 'backfill'> }) {
  if (segment.status === 'backfilling' && segment.backfill) {
    return (
      <span className="seg-status">
        <StatusBadge status="backfilling" /> <span>{Math.floor(segment.backfill.percent)}%</span>
      </span>
    )
  }
  return <StatusBadge status={segment.status} />
}

/** What a status means, for the segment's page. */
export function statusHelp(status: string): string {
  switch (status) {
    case 'live':
      return 'Members are kept current as events arrive and as time passes.'
    case 'backfilling':
      return 'Live for new events; the profiles already stored are still being computed.'
    case 'defined':
      return 'Saved and previewable, but not computed: it uses message or subscription conditions (available with journeys), or refers to such a segment.'
    default:
      return ''
  }
}
