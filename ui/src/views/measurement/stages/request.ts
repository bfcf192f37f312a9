import type { AnalysisCall } from '../../../api'

export interface StagesForm {
  metric: 'opened' | 'clicked' | 'converted'
  sort: 'rate' | 'sends'
}

export const STAGES_DEFAULTS: StagesForm = { metric: 'converted', sort: 'rate' }

/** GET /v1/analytics/stages/report?metric=&sort=. */
export function stagesReportCall(f: StagesForm): AnalysisCall {
  return { method: 'GET', path: '/v1/analytics/stages/report', query: { metric: f.metric, sort: f.sort } }
}

export type FlowPeriod = 'day' | 'week' | 'month'

/** GET /v1/analytics/stages/flow?period=. */
export function stageFlowCall(period: FlowPeriod): AnalysisCall {
  return { method: 'GET', path: '/v1/analytics/stages/flow', query: { period } }
}
