import { PALETTE, TOOLTIP, type ChartOption } from '../measurement/chartOption'
import type { SourceSeries, TrafficSeries } from './overviewApi'

/** The minute labels (HH:MM, local time) of a series. */
export function minuteLabels(s: TrafficSeries): string[] {
  const start = new Date(s.start).getTime()
  return Array.from({ length: s.minutes }, (_, i) => {
    const d = new Date(start + i * 60_000)
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
  })
}

/**
 * The same series summed by channel (web, app, store…): one row per channel,
 * named after it, the busiest first.
 */
export function byChannel(s: TrafficSeries): TrafficSeries {
  const rows = new Map<string, SourceSeries>()
  for (const x of s.sources) {
    const ch = x.channel || 'unknown'
    const row = rows.get(ch) ?? { source_id: ch, source_name: ch, channel: ch, counts: new Array<number>(s.minutes).fill(0), total: 0 }
    x.counts.forEach((n, i) => (row.counts[i] = (row.counts[i] ?? 0) + n))
    row.total += x.total
    rows.set(ch, row)
  }
  const sources = [...rows.values()].sort((a, b) => b.total - a.total || a.channel.localeCompare(b.channel))
  return { ...s, sources }
}

/** Events per minute as bars stacked by source (or channel), the busiest first. */
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
