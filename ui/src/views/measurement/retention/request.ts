import type { AnalysisCall } from '../../../api'
import { TOOLTIP, type ChartOption, type FormatterParams } from '../chartOption'
import { count, day, pct } from '../format'
import { compact, numberOr } from '../requestParts'
import type { RetentionResult } from '../types'

export interface RetentionForm {
  cohortEvent: string
  returnEvent: string
  period: 'day' | 'week' | 'month'
  periods: string
}

export const RETENTION_DEFAULTS: RetentionForm = {
  cohortEvent: 'Signed Up',
  returnEvent: 'Order Completed',
  period: 'month',
  periods: '6',
}

export const RETENTION_FIELDS = ['cohort_event', 'return_event', 'period', 'periods']

/** POST /v1/analytics/retention. */
export function retentionCall(f: RetentionForm): AnalysisCall {
  return {
    method: 'POST',
    path: '/v1/analytics/retention',
    body: compact({
      cohort_event: f.cohortEvent.trim(),
      return_event: f.returnEvent.trim(),
      period: f.period,
      periods: numberOr(f.periods),
    }),
  }
}

/** "Week 0" … the columns of the matrix. */
export function periodLabels(res: RetentionResult): string[] {
  const n = Math.max(0, ...res.rows.map((r) => r.rates.length))
  const unit = res.period.charAt(0).toUpperCase() + res.period.slice(1)
  return Array.from({ length: n }, (_, k) => `${unit} ${k}`)
}

/**
 * A heatmap of the cohort matrix: a row per cohort (oldest on top), a column
 * per period since the cohort's, coloured by the share of the cohort that
 * returned; periods not over yet are left blank.
 */
export function retentionOption(res: RetentionResult): ChartOption {
  const data = res.rows.flatMap((r, y) => r.rates.map((rate, x) => [x, y, rate]))
  const max = Math.max(0.01, ...data.map((d) => d[2] ?? 0))
  return {
    tooltip: {
      ...TOOLTIP,
      formatter: (p: FormatterParams) => {
        const [x, y, rate] = p.value as number[]
        const row = res.rows[y ?? 0]
        return row ? `${day(row.cohort)}, ${res.period} ${x}: ${pct(rate)} of ${count(row.size)}` : ''
      },
    },
    grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
    xAxis: { type: 'category', data: periodLabels(res), splitArea: { show: true } },
    yAxis: { type: 'category', data: res.rows.map((r) => day(r.cohort)), inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      inRange: { color: ['#eef4fb', '#0a58a8'] },
      formatter: (v: number) => pct(v),
    },
    series: [
      {
        type: 'heatmap',
        name: 'Returned',
        data,
        label: { show: true, formatter: (p: FormatterParams) => pct((p.value as number[])[2]) },
      },
    ],
  }
}
