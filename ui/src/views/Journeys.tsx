import '@xyflow/react/dist/style.css'
import { Route, Routes, useParams } from 'react-router'
import { JourneyEditor } from './journeys/JourneyEditor'
import { JourneyList } from './journeys/JourneyList'
import { NotFound } from './NotFound'

/** Journeys: the list, and the canvas editor of one journey. */
export function Journeys() {
  return (
    <Routes>
      <Route index element={<JourneyList />} />
      <Route path=":id" element={<JourneyRoute />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  )
}

function JourneyRoute() {
  const { id = '' } = useParams()
  // Keyed by the id so nothing of the previous journey (draft, selection) stays on screen.
  return <JourneyEditor key={id} id={id} />
}
