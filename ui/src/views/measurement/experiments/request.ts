import type { AnalysisCall, JourneyDetail } from '../../../api'
import { PALETTE, TOOLTIP, type ChartOption, type FormatterParams } from '../chartOption'
import { count, pct } from '../format'
import type { ExperimentArm } from '../typesModels'

/** GET /v1/analytics/journeys/{id}/report. */
export function journeyReportCall(journeyId: string): AnalysisCall {
  return { method: 'GET', path: `/v1/analytics/journeys/${encodeURIComponent(journeyId)}/report` }
}

export interface ExperimentForm {
  node: string
  /** Overrides of the node's own metric and window; empty: the node's. */
  metric: string
  window: string
}

export const EXPERIMENT_FIELDS = ['metric', 'window', 'version']

/** GET /v1/analytics/experiments/{journey}/{node}?metric=&window=. */
export function experimentCall(journeyId: string, f: ExperimentForm): AnalysisCall {
  return {
    method: 'GET',
    path: `/v1/analytics/experiments/${encodeURIComponent(journeyId)}/${encodeURIComponent(f.node)}`,
    query: { metric: f.metric.trim() || undefined, window: f.window.trim() || undefined },
  }
}

export interface ExperimentNode {
  id: string
  label: string
  kind: 'experiment' | 'random_split'
  metric?: string
}

/** The experiment and random-split nodes of a journey's live version. */
export function experimentNodes(j: JourneyDetail | undefined): ExperimentNode[] {
  return (j?.live?.nodes ?? []).flatMap((n): ExperimentNode[] => {
    const label = n.name ? `${n.name} (${n.id})` : n.id
    if (n.experiment) {
      const metric = (n.experiment as { metric?: string }).metric
      return [{ id: n.id, label, kind: 'experiment', ...(metric ? { metric } : {}) }]
    }
    if (n.random_split) return [{ id: n.id, label, kind: 'random_split' }]
    return []
  })
}

/** The conversion rate of each arm, labelled with its successes and trials. */
export function armsOption(arms: ExperimentArm[]): ChartOption {
  return {
    color: PALETTE,
    tooltip: {
      ...TOOLTIP,
      trigger: 'item',
      formatter: (p: FormatterParams) => {
        const a = arms[p.dataIndex]
        return a ? `${a.id}: ${pct(a.rate)} (${count(a.successes)} of ${count(a.trials)})` : ''
      },
    },
    grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: arms.map((a) => a.id) },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'bar',
        name: 'Conversion rate',
        barMaxWidth: 64,
        data: arms.map((a) => Math.round(a.rate * 10000) / 100),
        label: { show: true, position: 'top', formatter: (p: FormatterParams) => pct(arms[p.dataIndex]?.rate) },
      },
    ],
  }
}
