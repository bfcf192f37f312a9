import { describe, expect, it } from 'vitest'
import { attributionOption } from './attribution/request'
import type { FormatterParams, Series } from './chartOption'
import { funnelOption } from './funnels/option'
import { rateOption } from './lift/request'
import { periodLabels, retentionOption } from './retention/request'
import { flowGraph, pathsGraph, sankeyOption } from './sankey'
import type { FunnelResult, PathsResult, RetentionResult } from './types'
import type { AttributionResult, StageFlow } from './typesModels'

const step = (event: string, count: number, fromFirst: number) => ({
  event,
  count,
  conversion_from_previous: 0,
  conversion_from_first: fromFirst,
  median_seconds: null,
  p90_seconds: null,
  dropped: { total: 0, sample: [] },
})

const funnel: FunnelResult = {
  entered: 12000,
  steps: [step('Product Viewed', 12000, 1), step('Product Added', 4800, 0.4), step('Order Completed', 1234, 0.10283)],
  window: '7d',
  order: 'strict',
  note: '',
}

/** Calls a label or tooltip formatter of an option the way ECharts does. */
function format(f: unknown, p: Partial<FormatterParams>): string {
  return (f as (p: FormatterParams) => string)({ name: '', dataIndex: 0, value: undefined, ...p })
}

describe('funnelOption', () => {
  it('draws a horizontal bar per step, first on top, labelled with count and conversion', () => {
    const o = funnelOption(funnel)
    expect(o.yAxis).toMatchObject({ type: 'category', inverse: true, data: ['1. Product Viewed', '2. Product Added', '3. Order Completed'] })
    expect(o.xAxis?.type).toBe('value')
    expect(o.series).toHaveLength(1)
    const s = o.series[0] as Series & { label: { formatter: unknown } }
    expect(s).toMatchObject({ type: 'bar', data: [12000, 4800, 1234] })
    expect(format(s.label.formatter, { dataIndex: 2 })).toBe('1,234 · 10.3%')
  })

  it('adds the comparison period as a second series with a legend', () => {
    const o = funnelOption({ ...funnel, compare: { entered: 10, steps: [step('Product Viewed', 10, 1), step('Product Added', 5, 0.5), step('Order Completed', 1, 0.1)] } })
    expect(o.series.map((s) => [s.name, s.data])).toEqual([
      ['This period', [12000, 4800, 1234]],
      ['Comparison period', [10, 5, 1]],
    ])
    expect(o.legend).toEqual({ top: 0 })
  })
})

describe('sankeyOption', () => {
  const paths: PathsResult = {
    profiles: 100,
    paths: [],
    other: 0,
    sankey: {
      nodes: [
        { id: 0, name: 'Signed Up', step: 0 },
        { id: 1, name: 'Product Viewed', step: 1 },
        { id: 2, name: 'Signed Up', step: 1 },
      ],
      links: [
        { source: 0, target: 1, value: 70 },
        { source: 0, target: 2, value: 30 },
      ],
    },
  }

  it('keys nodes uniquely, keeps the columns, and shows the event names', () => {
    const o = sankeyOption(pathsGraph(paths))
    const s = o.series[0] as Series & { links: unknown[]; label: { formatter: unknown } }
    expect(s.type).toBe('sankey')
    expect(s.data).toMatchObject([
      { name: '0', depth: 0 },
      { name: '1', depth: 1 },
      { name: '2', depth: 1 },
    ])
    // The same event has the same colour in every column.
    const colour = (i: number) => (s.data[i] as { itemStyle: { color: string } }).itemStyle.color
    expect(colour(2)).toBe(colour(0))
    expect(colour(1)).not.toBe(colour(0))
    expect(s.links).toEqual([
      { source: '0', target: '1', value: 70 },
      { source: '0', target: '2', value: 30 },
    ])
    expect(format(s.label.formatter, { name: '2' })).toBe('Signed Up')
    const tip = (o.tooltip as { formatter: unknown }).formatter
    expect(format(tip, { dataType: 'edge', data: { source: '0', target: '1', value: 7000 } })).toBe(
      'Signed Up → Product Viewed: 7,000',
    )
    expect(format(tip, { dataType: 'node', name: '1', value: 70 })).toBe('Product Viewed: 70')
  })

  it('draws the stage flow by column', () => {
    const flow: StageFlow = {
      period: 'month',
      sankey: {
        nodes: [
          { id: '0:awareness', column: 0, at: '2026-01-01T00:00:00Z', stage: 'awareness', count: 5 },
          { id: '1:purchase', column: 1, at: '2026-02-01T00:00:00Z', stage: 'purchase', count: 5 },
        ],
        links: [{ source: '0:awareness', target: '1:purchase', value: 5 }],
      },
      periods: [],
    }
    const s = sankeyOption(flowGraph(flow)).series[0] as Series & { links: unknown[]; label: { formatter: unknown } }
    expect(s.data).toMatchObject([
      { name: '0:awareness', depth: 0 },
      { name: '1:purchase', depth: 1 },
    ])
    expect(s.links).toEqual([{ source: '0:awareness', target: '1:purchase', value: 5 }])
    expect(format(s.label.formatter, { name: '1:purchase' })).toBe('purchase')
  })
})

describe('retentionOption', () => {
  const res: RetentionResult = {
    period: 'week',
    cohort_event: 'Signed Up',
    return_event: 'Order Completed',
    rows: [
      { cohort: '2026-01-05T00:00:00Z', size: 200, retained: [100, 50, 20], rates: [0.5, 0.25, 0.1] },
      { cohort: '2026-01-12T00:00:00Z', size: 100, retained: [40], rates: [0.4] },
    ],
  }

  it('places each rate at (period, cohort), leaving periods not over blank', () => {
    const o = retentionOption(res)
    expect(periodLabels(res)).toEqual(['Week 0', 'Week 1', 'Week 2'])
    expect(o.xAxis?.data).toEqual(['Week 0', 'Week 1', 'Week 2'])
    expect(o.yAxis?.data).toEqual(['2026-01-05', '2026-01-12'])
    const s = o.series[0] as Series & { label: { formatter: unknown } }
    expect(s.type).toBe('heatmap')
    expect(s.data).toEqual([
      [0, 0, 0.5],
      [1, 0, 0.25],
      [2, 0, 0.1],
      [0, 1, 0.4],
    ])
    expect(o.visualMap).toMatchObject({ min: 0, max: 0.5 })
    expect(format(s.label.formatter, { value: [1, 0, 0.25] })).toBe('25.0%')
    expect(format((o.tooltip as { formatter: unknown }).formatter, { value: [1, 0, 0.25] })).toBe(
      '2026-01-05, week 1: 25.0% of 200',
    )
  })
})

describe('attributionOption', () => {
  const res = {
    model_names: ['first', 'markov'],
    channels: ['ads', 'direct_mail', 'email'],
    models: {
      first: [
        { channel: 'ads', conversions: 10, value: 0, share: 0.5 },
        { channel: 'email', conversions: 10, value: 0, share: 0.5 },
      ],
      markov: [
        { channel: 'ads', conversions: 8, value: 0, share: 0.4 },
        { channel: 'direct_mail', conversions: 5.5, value: 0, share: 0.275 },
        { channel: 'email', conversions: 6.5, value: 0, share: 0.325 },
      ],
    },
  } as unknown as AttributionResult

  it('groups the models side by side per channel, 0 where a model gives none', () => {
    const o = attributionOption(res)
    expect(o.xAxis?.data).toEqual(['ads', 'direct_mail', 'email'])
    expect(o.series.map((s) => [s.type, s.name, s.data])).toEqual([
      ['bar', 'First touch', [10, 0, 10]],
      ['bar', 'Markov chain', [8, 5.5, 6.5]],
    ])
    expect(o.legend).toMatchObject({ data: ['First touch', 'Markov chain'] })
  })
})

describe('rateOption', () => {
  it('floats each interval from its low end to its high end, in percent', () => {
    const o = rateOption([
      { label: 'Holdout', rate: 0.07, ci: { low: 0.06, high: 0.08 } },
      { label: 'Exposed', rate: 0.0875, ci: { low: 0.08, high: 0.095 } },
    ])
    expect(o.series.map((s) => s.data)).toEqual([
      [7, 8.75],
      [6, 8],
      [2, 1.5],
    ])
    expect(o.series[1]).toMatchObject({ stack: 'ci', itemStyle: { color: 'transparent' } })
  })
})
