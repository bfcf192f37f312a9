import { Route, Routes, useParams } from 'react-router'
import { NotFound } from './NotFound'
import { SourceDetail } from './sources/SourceDetail'
import { SourcesHome } from './sources/SourcesHome'

/** Sources: where events come from, their write keys, SDK snippets and the live debugger. */
export function Sources() {
  return (
    <Routes>
      <Route index element={<SourcesHome />} />
      <Route path=":id" element={<SourceRoute />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  )
}

function SourceRoute() {
  const { id = '' } = useParams()
  // Keyed by the id so nothing of the previous source (keys, live events) stays on screen.
  return <SourceDetail key={id} sourceId={id} />
}
