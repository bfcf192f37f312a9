import { Page } from '../components/Page'
import { JourneysPanel } from './overview/JourneysPanel'
import { RejectionsPanel } from './overview/RejectionsPanel'
import { SegmentsPanel } from './overview/SegmentsPanel'
import { StagesPanel } from './overview/StagesPanel'
import { StatsPanel } from './overview/StatsPanel'
import { TrafficPanel } from './overview/TrafficPanel'

/** What Cairn has received and what it runs: counters, events per minute, stages, journeys, segments, rejections. */
export function Overview() {
  return (
    <Page title="Overview">
      <div className="panel-grid">
        <StatsPanel />
        <TrafficPanel />
        <StagesPanel />
        <JourneysPanel />
        <SegmentsPanel />
        <RejectionsPanel />
      </div>
    </Page>
  )
}
