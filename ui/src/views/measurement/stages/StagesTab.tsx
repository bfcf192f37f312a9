import { StageFlowPanel } from './StageFlowPanel'
import { StageReportPanel } from './StageReportPanel'

/** Stages: which message works at which lifecycle stage, and how customers move between stages. */
export function StagesTab() {
  return (
    <>
      <StageReportPanel />
      <StageFlowPanel />
    </>
  )
}
