import { Navigate, NavLink, Route, Routes } from 'react-router'
import { Page } from '../components/Page'
import { AttributionTab } from './measurement/attribution/AttributionTab'
import { ClvTab } from './measurement/clv/ClvTab'
import { ExperimentsTab } from './measurement/experiments/ExperimentsTab'
import { FunnelsTab } from './measurement/funnels/FunnelsTab'
import { LiftTab } from './measurement/lift/LiftTab'
import { PathsTab } from './measurement/paths/PathsTab'
import { RetentionTab } from './measurement/retention/RetentionTab'
import { StagesTab } from './measurement/stages/StagesTab'

/** The analyses, each a nested route of /measurement. */
const TABS = [
  { path: 'funnels', label: 'Funnels', element: <FunnelsTab /> },
  { path: 'paths', label: 'Paths', element: <PathsTab /> },
  { path: 'retention', label: 'Retention', element: <RetentionTab /> },
  { path: 'attribution', label: 'Attribution', element: <AttributionTab /> },
  { path: 'ltv', label: 'Lifetime value', element: <ClvTab /> },
  { path: 'lift', label: 'Lift', element: <LiftTab /> },
  { path: 'experiments', label: 'Experiments & journeys', element: <ExperimentsTab /> },
  { path: 'stages', label: 'Stages', element: <StagesTab /> },
]

/** Measurement: funnels, paths, retention, attribution, lifetime value, lift, experiments and stage reports. */
export function Measurement() {
  return (
    <Page
      title="Measurement"
      lead="Analyses over every customer’s history. Large ones run in the background: you can cancel them."
    >
      <nav className="m-tabs" aria-label="Analyses">
        <ul>
          {TABS.map((t) => (
            <li key={t.path}>
              <NavLink to={`/measurement/${t.path}`}>{t.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to="/measurement/funnels" replace />} />
        {TABS.map((t) => (
          <Route key={t.path} path={t.path} element={t.element} />
        ))}
        <Route path="*" element={<Navigate to="/measurement/funnels" replace />} />
      </Routes>
    </Page>
  )
}
