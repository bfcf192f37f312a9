import type { AnalysisCall } from '../../../api'
import { PALETTE, TOOLTIP, type ChartOption } from '../chartOption'
import { dec } from '../format'
import { compact, numberOr } from '../requestParts'
import type { AttributionResult } from '../typesModels'

/** The models of POST /v1/analytics/attribution, in the server's order, with their names for people. */
export const MODELS: Array<[string, string]> = [
  ['first', 'First touch'],
  ['last', 'Last touch'],
  ['linear', 'Linear'],
  ['time_decay', 'Time decay'],
  ['position', 'Position (40/20/40)'],
  ['markov', 'Markov chain'],
  ['shapley', 'Shapley value'],
]

export const modelName = (m: string): string => MODELS.find(([k]) => k === m)?.[1] ?? m

export interface AttributionForm {
  conversion: string
  value: string
  lookback: string
  by: 'channel' | 'campaign'
  models: string[]
  order: string
}

export const ATTRIBUTION_DEFAULTS: AttributionForm = {
  conversion: 'Order Completed',
  value: 'revenue',
  lookback: '30d',
  by: 'channel',
  models: MODELS.map(([m]) => m),
  order: '1',
}

export const ATTRIBUTION_FIELDS = ['conversion', 'value', 'lookback', 'by', 'models', 'order']

/** POST /v1/analytics/attribution; the models in the server's order. */
export function attributionCall(f: AttributionForm): AnalysisCall {
  return {
    method: 'POST',
    path: '/v1/analytics/attribution',
    body: compact({
      conversion: f.conversion.trim(),
      value: f.value.trim(),
      lookback: f.lookback.trim(),
      by: f.by,
      models: MODELS.map(([m]) => m).filter((m) => f.models.includes(m)),
      order: f.models.includes('markov') ? numberOr(f.order) : undefined,
    }),
  }
}

/** Conversions each model credits to a channel, by channel then model (0 where a model has none). */
export function creditTable(res: AttributionResult): Record<string, Record<string, number>> {
  const t: Record<string, Record<string, number>> = {}
  for (const c of res.channels) t[c] = {}
  for (const m of res.model_names) {
    for (const credit of res.models[m] ?? []) (t[credit.channel] ??= {})[m] = credit.conversions
  }
  return t
}

/** The models side by side: a group of bars per channel, a bar per model, height the conversions credited. */
export function attributionOption(res: AttributionResult): ChartOption {
  const t = creditTable(res)
  return {
    color: PALETTE,
    tooltip: { ...TOOLTIP, trigger: 'axis', valueFormatter: (v: number) => dec(v) },
    legend: { top: 0, data: res.model_names.map(modelName) },
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: res.channels, axisLabel: { interval: 0, rotate: res.channels.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', name: 'Conversions' },
    series: res.model_names.map((m) => ({
      type: 'bar' as const,
      name: modelName(m),
      data: res.channels.map((c) => t[c]?.[m] ?? 0),
    })),
  }
}
