import { PALETTE, TOOLTIP, type ChartOption, type FormatterParams } from '../chartOption'
import { count, pct } from '../format'
import type { FunnelData, FunnelResult } from '../types'

/** "2. Product Added": the step's number keeps repeated events apart. */
export const stepLabel = (event: string, i: number): string => `${i + 1}. ${event}`

function bars(name: string, d: FunnelData) {
  return {
    type: 'bar' as const,
    name,
    data: d.steps.map((s) => s.count),
    label: {
      show: true,
      position: 'right',
      formatter: (p: FormatterParams) => {
        const s = d.steps[p.dataIndex]
        return s ? `${count(s.count)} · ${pct(s.conversion_from_first)}` : ''
      },
    },
  }
}

/** A horizontal bar per step (first step on top) labelled with its count and conversion from the first step. */
export function funnelOption(res: FunnelResult): ChartOption {
  const series = [bars('This period', res)]
  if (res.compare) series.push(bars('Comparison period', res.compare))
  return {
    color: PALETTE,
    tooltip: { ...TOOLTIP, trigger: 'axis' },
    legend: res.compare ? { top: 0 } : { show: false },
    grid: { left: 8, right: 110, top: res.compare ? 32 : 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => count(v) } },
    yAxis: { type: 'category', inverse: true, data: res.steps.map((s, i) => stepLabel(s.event, i)) },
    series,
  }
}
