import { PALETTE, TOOLTIP, type ChartOption, type FormatterParams } from './chartOption'
import { count } from './format'
import type { PathsResult } from './types'
import type { StageFlow } from './typesModels'

const OTHER = '#9aa7b2'
const SANKEY_COLOURS = [...PALETTE.slice(0, -1), '#b8860b', '#1f77b4', '#d35400', '#6c3483']

/** A Sankey graph with unique node keys, the labels to show, and the column of each node. */
export interface SankeyGraph {
  nodes: Array<{ key: string; label: string; depth: number }>
  links: Array<{ source: string; target: string; value: number }>
}

/**
 * A Sankey of the graph. ECharts names nodes by key, and keys must be
 * unique, while the same event shows at several steps: the labels are
 * looked up by key in the formatters.
 */
export function sankeyOption(g: SankeyGraph): ChartOption {
  const label = new Map(g.nodes.map((n) => [n.key, n.label]))
  // One colour per event or stage, whatever its column; grey for the rest.
  const colours = new Map<string, string>([['(other)', OTHER]])
  const colourOf = (l: string) => {
    if (!colours.has(l)) colours.set(l, SANKEY_COLOURS[(colours.size - 1) % SANKEY_COLOURS.length] ?? OTHER)
    return colours.get(l)
  }
  const name = (k: unknown) => label.get(String(k)) ?? String(k)
  return {
    tooltip: {
      ...TOOLTIP,
      trigger: 'item',
      formatter: (p: FormatterParams) => {
        const d = p.data as { source?: string; target?: string; value?: number } | undefined
        if (p.dataType === 'edge' && d) return `${name(d.source)} → ${name(d.target)}: ${count(d.value ?? 0)}`
        return `${name(p.name)}: ${count(Number(p.value) || 0)}`
      },
    },
    series: [
      {
        type: 'sankey',
        data: g.nodes.map((n) => ({ name: n.key, depth: n.depth, itemStyle: { color: colourOf(n.label) } })),
        links: g.links.map((l) => ({ ...l })),
        nodeAlign: 'left',
        emphasis: { focus: 'adjacency' },
        lineStyle: { color: 'gradient', opacity: 0.35 },
        label: { formatter: (p: FormatterParams) => name(p.name) },
      },
    ],
  }
}

/** The graph of POST /v1/analytics/paths: a node per touchpoint and step. */
export function pathsGraph(res: PathsResult): SankeyGraph {
  return {
    nodes: res.sankey.nodes.map((n) => ({ key: String(n.id), label: n.name, depth: n.step })),
    links: res.sankey.links.map((l) => ({ source: String(l.source), target: String(l.target), value: l.value })),
  }
}

/** The graph of GET /v1/analytics/stages/flow: a column of stages per period boundary. */
export function flowGraph(res: StageFlow): SankeyGraph {
  return {
    nodes: res.sankey.nodes.map((n) => ({ key: n.id, label: n.stage, depth: n.column })),
    links: res.sankey.links.map((l) => ({ ...l })),
  }
}
