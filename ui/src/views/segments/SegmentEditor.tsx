import { Link, useParams } from 'react-router'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Page } from '../../components/Page'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { EditorForm } from './EditorForm'
import { getSegment } from './segmentsApi'

/** /segments/new and /segments/:id/edit: loads the segment to edit, then the editor. */
export function SegmentEditor() {
  const { id } = useParams()
  const api = useApi()
  const seg = useLoad((signal) => (id ? getSegment(api, id, signal) : Promise.resolve(undefined)), [api, id])
  if (!id) return <EditorForm key="new" />
  if (seg.data) return <EditorForm key={seg.data.id} segment={seg.data} />
  return (
    <Page title="Edit segment">
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
