import { Page } from '../components/Page'
import { JourneysPanel } from './overview/JourneysPanel'
import { RejectionsPanel } from './overview/RejectionsPanel'
import { SegmentsPanel } from './overview/SegmentsPanel'
import { StatsPanel } from './overview/StatsPanel'

/** What Cairn has received and what it runs: counters, journeys, segments, rejections. */
export function Overview() {
  return (
    <Page title="Overview">
      <div className="panel-grid">
        <StatsPanel />
        <JourneysPanel />
        <SegmentsPanel />
        <RejectionsPanel />
      </div>
    </Page>
  )
}
