import { Link } from 'react-router'
import type { Segment } from '../../api'
import { EmptyState } from '../../components/EmptyState'
import { Page } from '../../components/Page'
import { Panel } from '../../components/Panel'
import { TableWrap } from '../../components/TableWrap'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { SegmentRow } from './SegmentRow'

/** /segments: every segment with its status and size, and the way to a new one. */
export function SegmentList() {
  const api = useApi()
  const list = useLoad((signal) => api.segments(signal), [api])
  const sorted = list.data && [...list.data].sort((a: Segment, b: Segment) => a.name.localeCompare(b.name))
  return (
    <Page
      title="Segments"
      lead="Groups of customers by what they did and who they are, kept current as events arrive."
      actions={
        <Link className="button-primary seg-button-link" to="/segments/new">
          New segment
        </Link>
      }
    >
      <Panel
        title="All segments"
        loading={list.loading && !list.data}
        error={list.error}
        onRetry={list.reload}
        isEmpty={list.data?.length === 0}
        empty={
          <EmptyState title="No segments yet">
            <p>
              A segment is a set of conditions, such as “bought in the last 30 days and not on the free plan”. Cairn keeps
              its members up to date as events arrive and as time passes, and journeys, analyses and exports use it.
            </p>
            <p>
              For example: <code>performed "Order Completed" within 30d and not trait plan = "free"</code>.
            </p>
            <p>
              <Link to="/segments/new">Create your first segment</Link> with the visual builder.
            </p>
          </EmptyState>
        }
      >
        {sorted && (
          <TableWrap label="Segment list">
            <table>
              <thead>
                <tr>
                  <th scope="col">Segment</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Size
                  </th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((s) => (
                  <SegmentRow key={s.id} segment={s} />
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Panel>
    </Page>
  )
}
