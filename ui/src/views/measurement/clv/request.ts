import type { AnalysisCall } from '../../../api'
import { PALETTE, TOOLTIP, type ChartOption } from '../chartOption'
import { amount, dec } from '../format'
import { compact, dayStart, numberOr } from '../requestParts'
import type { ClvResult } from '../typesModels'

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
