import type { AnalysisCall } from '../../../api'
import { PALETTE, TOOLTIP, type ChartOption, type GridsOption } from '../chartOption'
import { amount, dec } from '../format'
import { compact, dayStart, numberOr } from '../requestParts'
import type { ClvBucket, ClvResult } from '../typesModels'

export interface ClvForm {
  event: string
  revenue: string
  calibrationEnd: string
  horizonWeeks: string
  discountRate: string
}

export const CLV_DEFAULTS: ClvForm = {
  event: 'Order Completed',
  revenue: 'revenue',
  calibrationEnd: '',
  horizonWeeks: '52',
  discountRate: '0.1',
}

export const CLV_FIELDS = ['event', 'revenue', 'calibration_end', 'horizon_weeks', 'discount_rate']

/** The body of POST /v1/analytics/clv (and of /clv/apply, which fits the same models). */
export function clvBody(f: ClvForm): Record<string, unknown> {
  return compact({
    event: f.event.trim(),
    revenue: f.revenue.trim(),
    calibration_end: dayStart(f.calibrationEnd),
    horizon_weeks: numberOr(f.horizonWeeks),
    discount_rate: numberOr(f.discountRate),
  })
}

export function clvCall(f: ClvForm): AnalysisCall {
  return { method: 'POST', path: '/v1/analytics/clv', body: clvBody(f) }
}

export function clvApplyCall(f: ClvForm): AnalysisCall {
  return { method: 'POST', path: '/v1/analytics/clv/apply', body: clvBody(f) }
}

/**
 * The top customers by predicted CLV (by expected purchases without a spend
 * model), best on top. The API lists the top 20, not the whole distribution.
 */
export function clvOption(res: ClvResult): ChartOption {
  const spend = res.gamma_gamma !== null
  return {
    color: PALETTE,
    tooltip: { ...TOOLTIP, trigger: 'axis', valueFormatter: (v: number) => (spend ? amount(v) : dec(v)) },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', name: spend ? 'Predicted CLV' : 'Expected purchases' },
    yAxis: { type: 'category', inverse: true, data: res.top.map((c) => c.profile_id) },
    series: [
      {
        type: 'bar',
        name: spend ? 'Predicted CLV' : 'Expected purchases',
        data: res.top.map((c) => (spend ? c.clv : c.expected_purchases)),
      },
    ],
  }
}

/** The label of a bucket: "12.50–25.00" (the last one is open: "≥ 237.50"). */
function bucketLabel(b: ClvBucket, last: boolean, money: boolean): string {
  const f = money ? amount : dec
  return last ? `≥ ${f(b.from)}` : `${f(b.from)}–${f(b.to)}`
}

/** How every customer spreads over the predicted value and over P(alive), as two histograms side by side. */
export function distributionOption(res: ClvResult): GridsOption {
  const d = res.distribution
  const money = d.of === 'clv'
  return {
    color: PALETTE,
    tooltip: { ...TOOLTIP, trigger: 'axis' },
    grid: [
      { left: 8, right: '54%', top: 28, bottom: 8, containLabel: true },
      { left: '54%', right: 8, top: 28, bottom: 8, containLabel: true },
    ],
    title: [
      { text: money ? 'Predicted CLV' : 'Expected purchases', left: 8, top: 0, textStyle: { fontSize: 13 } },
      { text: 'P(alive)', left: '54%', top: 0, textStyle: { fontSize: 13 } },
    ],
    xAxis: [
      { type: 'category' as const, gridIndex: 0, data: d.buckets.map((b, i) => bucketLabel(b, i === d.buckets.length - 1, money)) },
      { type: 'category' as const, gridIndex: 1, data: d.p_alive.map((b) => `${Math.round(b.from * 100)}–${Math.round(b.to * 100)}%`) },
    ],
    yAxis: [
      { type: 'value' as const, gridIndex: 0, name: 'customers', minInterval: 1 },
      { type: 'value' as const, gridIndex: 1, minInterval: 1 },
    ],
    series: [
      { type: 'bar', name: 'customers', xAxisIndex: 0, yAxisIndex: 0, data: d.buckets.map((b) => b.customers) },
      { type: 'bar', name: 'customers', xAxisIndex: 1, yAxisIndex: 1, data: d.p_alive.map((b) => b.customers) },
    ],
  }
}
