import { Route, Routes, useParams } from 'react-router'
import { NotFound } from './NotFound'
import { TemplateEditor } from './templates/TemplateEditor'
import { TemplateList } from './templates/TemplateList'

/** Templates: the list, and the editor with live preview and test send (new and existing). */
export function Templates() {
  return (
    <Routes>
      <Route index element={<TemplateList />} />
      <Route path="new" element={<TemplateEditor />} />
      <Route path=":id" element={<TemplateRoute />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  )
}

function TemplateRoute() {
  const { id = '' } = useParams()
  // Keyed by the id so nothing of the previous template stays on screen.
  return <TemplateEditor key={id} id={id} />
}
