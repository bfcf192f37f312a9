import type { AnalysisCall } from '../../../api'
import { PALETTE, TOOLTIP, type ChartOption, type FormatterParams } from '../chartOption'
import { pct } from '../format'
import { compact, numberOr } from '../requestParts'
import type { Interval } from '../types'

export interface LiftForm {
  exposure: string
  holdout: string
  conversion: string
  window: string
  firstConversion: boolean
  unit: 'exposure' | 'customer'
  holdoutShare: string
}

/** The demo's direct-mail test: catalogs delivered against the 15% held out. */
export const LIFT_DEFAULTS: LiftForm = {
  exposure: 'Catalog Delivered',
  holdout: 'Catalog Held Out',
  conversion: 'Order Completed',
  window: '30d',
  firstConversion: true,
  unit: 'exposure',
  holdoutShare: '0.15',
}

export const LIFT_FIELDS = ['exposure', 'holdout', 'conversion', 'window', 'first_conversion', 'unit', 'holdout_share']

/** POST /v1/analytics/lift. */
export function liftCall(f: LiftForm): AnalysisCall {
  return {
    method: 'POST',
    path: '/v1/analytics/lift',
    body: compact({
      exposure: { event: f.exposure.trim() },
      holdout: { event: f.holdout.trim() },
      conversion: { event: f.conversion.trim() },
      window: f.window.trim(),
      first_conversion: f.firstConversion,
      unit: f.unit,
      holdout_share: numberOr(f.holdoutShare),
    }),
  }
}

/** One bar of a rate chart: a label, the rate and its interval. */
export interface RateBar {
  label: string
  rate: number
  ci: Interval
}

/**
 * Rates as bars (in %) with their intervals as thin floating bars beside
 * them: a transparent base up to the low end, then the span to the high end.
 */
export function rateOption(bars: RateBar[]): ChartOption {
  const p = (f: number) => Math.round(f * 10000) / 100
  return {
    color: PALETTE,
    tooltip: {
      ...TOOLTIP,
      trigger: 'item',
      formatter: (x: FormatterParams) => {
        const b = bars[x.dataIndex]
        return b ? `${b.label}: ${pct(b.rate)}, 95% interval ${pct(b.ci.low)} to ${pct(b.ci.high)}` : ''
      },
    },
    legend: { top: 0, data: ['Conversion rate', '95% interval'] },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: bars.map((b) => b.label) },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'bar',
        name: 'Conversion rate',
        data: bars.map((b) => p(b.rate)),
        barMaxWidth: 64,
        label: { show: true, position: 'top', formatter: (x: FormatterParams) => pct(bars[x.dataIndex]?.rate) },
      },
      { type: 'bar', name: 'base', stack: 'ci', silent: true, itemStyle: { color: 'transparent' }, data: bars.map((b) => p(b.ci.low)), barWidth: 10 },
      { type: 'bar', name: '95% interval', stack: 'ci', data: bars.map((b) => p(b.ci.high) - p(b.ci.low)), barWidth: 10, itemStyle: { color: '#51606d' } },
    ],
  }
}
