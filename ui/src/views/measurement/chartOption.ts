// Plain descriptions of ECharts options: the option builders are pure
// functions returning these, tested without a canvas, and <Chart> draws them.

export interface Axis {
  type: 'category' | 'value'
  data?: string[]
  [k: string]: unknown
}

export interface Series {
  type: 'bar' | 'sankey' | 'heatmap'
  name?: string
  data: unknown[]
  [k: string]: unknown
}

export interface ChartOption {
  series: Series[]
  xAxis?: Axis
  yAxis?: Axis
  [k: string]: unknown
}

/** A chart of several grids side by side: an axis per grid. */
export interface GridsOption {
  series: Series[]
  xAxis: Axis[]
  yAxis: Axis[]
  [k: string]: unknown
}

/** What ECharts passes a label or tooltip formatter (the parts used here). */
export interface FormatterParams {
  name: string
  dataIndex: number
  seriesIndex?: number
  seriesName?: string
  value: unknown
  dataType?: 'node' | 'edge'
  data?: unknown
}

/**
 * Tooltips drawn on the canvas: the HTML tooltip writes style attributes,
 * which the console's Content-Security-Policy (style-src 'self') blocks.
 */
export const TOOLTIP = { renderMode: 'richText', confine: true } as const

/** The colours of the series (the palette of ECharts, reordered for contrast between neighbours). */
export const PALETTE = ['#0a58a8', '#d9822b', '#2e8b57', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d']
