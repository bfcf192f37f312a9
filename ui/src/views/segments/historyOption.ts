import { PALETTE, TOOLTIP, type ChartOption } from '../measurement/chartOption'
import type { HistoryPoint } from './types'

/** "Mar 4" for a day bucket, "Mar 4, 13:00" for an hour (UTC, as the buckets are). */
export function bucketLabel(at: string, bucket: string): string {
  const d = new Date(at)
  if (Number.isNaN(d.getTime())) return at
  const day = d.toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' })
  if (bucket !== 'hour') return day
  return `${day}, ${String(d.getUTCHours()).padStart(2, '0')}:00`
}

/**
 * The size at the close of each bucket as bars (the console's ECharts build
 * registers bar, heatmap and Sankey charts, not lines).
 */
export function historyOption(points: HistoryPoint[], bucket: string): ChartOption {
  return {
    color: PALETTE,
    tooltip: { ...TOOLTIP, trigger: 'axis' },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: points.map((p) => bucketLabel(p.at, bucket)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name: 'Members', data: points.map((p) => p.size), barMaxWidth: 24 }],
  }
}
