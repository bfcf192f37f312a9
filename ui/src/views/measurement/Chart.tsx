import { lazy, Suspense } from 'react'
import type { ChartOption, GridsOption } from './chartOption'

export interface ChartProps {
  option: ChartOption | GridsOption
  /** What the chart shows, for screen readers (the table next to it has the numbers). */
  label: string
  size?: 'short' | 'medium' | 'tall'
}

// ECharts is loaded with the first chart, in its own file, so the rest of
// the console does not wait for it.
const EChart = lazy(() => import('./EChart'))

/**
 * A chart of an option built by a pure option builder. Where there is no
 * layout (jsdom in tests: no ResizeObserver, no canvas) only the labelled
 * placeholder is rendered; the option builders are tested instead.
 */
export function Chart(props: ChartProps) {
  const placeholder = <div className={`m-chart m-chart-${props.size ?? 'medium'}`} role="img" aria-label={props.label} />
  if (typeof ResizeObserver === 'undefined') return placeholder
  return (
    <Suspense fallback={placeholder}>
      <EChart {...props} />
    </Suspense>
  )
}
