import { PALETTE, TOOLTIP, type ChartOption } from '../measurement/chartOption'
import type { TrafficSeries } from './overviewApi'

/** The minute labels (HH:MM, local time) of a series. */
export function minuteLabels(s: TrafficSeries): string[] {
  const start = new Date(s.start).getTime()
  return Array.from({ length: s.minutes }, (_, i) => {
    const d = new Date(start + i * 60_000)
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
  })
}

/** Events per minute as bars stacked by source, the busiest source first. */
export function trafficOption(s: TrafficSeries): ChartOption {
  return {
    color: PALETTE,
    tooltip: { ...TOOLTIP, trigger: 'axis' },
    legend: { top: 0, data: s.sources.map((x) => x.source_name || x.source_id) },
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: minuteLabels(s) },
    yAxis: { type: 'value', name: 'events / min', minInterval: 1 },
    series: s.sources.map((x) => ({ type: 'bar', stack: 'events', name: x.source_name || x.source_id, data: x.counts })),
  }
}
