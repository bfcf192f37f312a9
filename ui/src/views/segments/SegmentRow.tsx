import { Link } from 'react-router'
import type { Segment } from '../../api'
import { Time } from '../../components/Time'
import { formatNumber } from '../../format'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { getSegment } from './segmentsApi'
import { SegmentStatus } from './SegmentStatus'

/** One segment of the list; its size and backfill come from its own read (the list has neither). */
export function SegmentRow({ segment: s }: { segment: Segment }) {
  const api = useApi()
  const detail = useLoad((signal) => getSegment(api, s.id, signal), [api, s.id])
  const d = detail.data
  return (
    <tr>
      <th scope="row">
        <Link to={`/segments/${encodeURIComponent(s.id)}`}>{s.name}</Link>
        {s.description && <span className="cell-note">{s.description}</span>}
      </th>
      <td>
        <SegmentStatus segment={d ?? s} />
      </td>
      <td className="num">
        {d?.size !== undefined ? formatNumber(d.size) : <span className="muted">{detail.loading ? '…' : '—'}</span>}
      </td>
      <td className="nowrap">
        <Time value={s.updated_at} />
      </td>
    </tr>
  )
}
