import { Route, Routes, useParams } from 'react-router'
import { NotFound } from './NotFound'
import { SegmentEditor } from './segments/SegmentEditor'
import { SegmentList } from './segments/SegmentList'
import { SegmentPage } from './segments/SegmentPage'

/** Segments: the list, the visual builder (new and edit), and each segment's page. */
export function Segments() {
  return (
    <Routes>
      <Route index element={<SegmentList />} />
      <Route path="new" element={<SegmentEditor />} />
      <Route path=":id" element={<SegmentRoute />} />
      <Route path=":id/edit" element={<SegmentEditor />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  )
}

function SegmentRoute() {
  const { id = '' } = useParams()
  // Keyed by the id so nothing of the previous segment stays on screen.
  return <SegmentPage key={id} id={id} />
}
