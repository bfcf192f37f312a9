import { BarChart, HeatmapChart, SankeyChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'react'
import type { ChartProps } from './Chart'

// Only the parts the Measurement views draw, on the canvas renderer (no
// eval, styles set through the CSSOM: fine under the console's CSP).
use([BarChart, HeatmapChart, SankeyChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer])

/** The ECharts instance of a <Chart>: created on mount, resized with its container, disposed on unmount. */
export default function EChart({ option, label, size = 'medium' }: ChartProps) {
  const el = useRef<HTMLDivElement>(null)
  const chart = useRef<ECharts>(undefined)

  useEffect(() => {
    const node = el.current
    if (!node) return
    const c = init(node, undefined, { renderer: 'canvas' })
    chart.current = c
    // A container of no width (hidden, collapsed, a browser resizing for a
    // screenshot) would make a singular transform (ECharts 6 Sankey throws): wait for a size.
    const ro = new ResizeObserver(() => {
      if (node.clientWidth > 0 && node.clientHeight > 0) c.resize()
    })
    ro.observe(node)
    return () => {
      ro.disconnect()
      c.dispose()
      chart.current = undefined
    }
  }, [])

  useEffect(() => {
    chart.current?.setOption(option as EChartsCoreOption, { notMerge: true })
  }, [option])

  return <div ref={el} className={`m-chart m-chart-${size}`} role="img" aria-label={label} />
}
