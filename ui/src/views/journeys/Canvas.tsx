import {
  Background,
  Controls,
  ReactFlow,
  applyNodeChanges,
  type Connection,
  type Edge,
  type NodeChange,
  type EdgeChange,
} from '@xyflow/react'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { ReactFlowInstance } from '@xyflow/react'
import { buildCards, buildEdges, mergeCards } from './cards'
import { toGraph } from './graph'
import { NodeCard, type CardNode } from './NodeCard'
import type { NodeCounts } from './overlay'
import { DRAG_TYPE } from './Palette'
import { ENTRY_ID, KINDS, type JourneyDefinition, type NodeKind, type Problem } from './types'

const NODE_TYPES = { journey: NodeCard }
const DELETE_KEYS = ['Delete', 'Backspace']
/** Below this zoom the cards cannot be read: start there at the entry instead, and let the user pan. */
const READABLE = 0.75

/** Pans (at the same zoom) so that the node is inside the canvas, when it is not. */
function bringIntoView(rf: ReactFlowInstance<CardNode, Edge> | null, box: HTMLElement | null, id: string) {
  const n = rf?.getInternalNode(id)
  if (!rf || !n || !box) return
  const { x, y, zoom } = rf.getViewport()
  const w = (n.measured.width ?? 200) * zoom
  const h = (n.measured.height ?? 80) * zoom
  const left = n.internals.positionAbsolute.x * zoom + x
  const top = n.internals.positionAbsolute.y * zoom + y
  if (left >= 0 && top >= 0 && left + w <= box.clientWidth && top + h <= box.clientHeight) return
  void rf.setCenter(n.internals.positionAbsolute.x + w / zoom / 2, n.internals.positionAbsolute.y + h / zoom / 2, { zoom, duration: 250 })
}

/** Fits the journey, or when that would make it unreadable, shows its start at a readable size. */
function initialView(rf: ReactFlowInstance<CardNode, Edge>, box: HTMLElement | null) {
  void rf.fitView({ maxZoom: 1 }).then(() => {
    if (rf.getZoom() >= READABLE || !box) return
    const entry = rf.getNode(ENTRY_ID)
    const y = entry ? entry.position.y + (entry.measured?.height ?? 80) / 2 : 0
    void rf.setViewport({ x: 24, y: box.clientHeight / 2 - y * READABLE, zoom: READABLE })
  })
}

interface Props {
  def: JourneyDefinition
  selected: string | null
  problems: Map<string, Problem[]>
  counts: Map<string, NodeCounts>
  onSelect: (id: string | null) => void
  onConnect: (source: string, slot: string, target: string) => void
  onDelete: (id: string) => void
  /** A kind dropped from the palette: add it unconnected; answers the new step's id. */
  onDropKind: (kind: NodeKind) => string | undefined
  /** A step dragged to (or dropped at) a position, to save with the draft. */
  onMove: (id: string, at: { x: number; y: number }) => void
}

/**
 * The journey drawn with React Flow. The definition is the truth: cards and
 * arrows are rebuilt from it, and every change (connect, delete) goes back
 * as an edit of the definition, positions too (its layout, saved with the draft).
 */
export function Canvas({ def, selected, problems, counts, onSelect, onConnect, onDelete, onDropKind, onMove }: Props) {
  const graph = useMemo(() => toGraph(def), [def])
  const built = useMemo(() => buildCards({ def, graph, selected, problems, counts }), [def, graph, selected, problems, counts])
  const [nodes, setNodes] = useState<CardNode[]>(built)
  const [selectedEdge, setSelectedEdge] = useState<string | null>(null)
  const placed = useRef(new Map<string, { x: number; y: number }>())
  const box = useRef<HTMLDivElement>(null)
  const flow = useRef<ReactFlowInstance<CardNode, Edge>>(null)
  // A step selected from outside the canvas (added, or a problem clicked) is brought into view.
  useEffect(() => {
    if (selected) window.setTimeout(() => bringIntoView(flow.current, box.current, selected), 50)
  }, [selected])
  useEffect(() => setNodes((prev) => mergeCards(prev, built, placed.current)), [built])
  const edges = useMemo(() => buildEdges(graph.edges, selectedEdge), [graph, selectedEdge])

  const onNodesChange = (changes: NodeChange<CardNode>[]) => {
    for (const c of changes) {
      if (c.type === 'position' && c.position) placed.current.set(c.id, c.position)
      if (c.type === 'position' && c.dragging === false) {
        const at = placed.current.get(c.id)
        if (at) onMove(c.id, at)
      }
      if (c.type === 'select' && c.selected) onSelect(c.id)
    }
    setNodes((ns) => applyNodeChanges(changes.filter((c) => c.type !== 'remove'), ns))
  }
  const onEdgesChange = (changes: EdgeChange<Edge>[]) => {
    for (const c of changes) if (c.type === 'select') setSelectedEdge(c.selected ? c.id : null)
  }

  return (
    <div
      className="jr-canvas"
      ref={box}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(DRAG_TYPE)) e.preventDefault()
      }}
      onDrop={(e) => {
        const kind = e.dataTransfer.getData(DRAG_TYPE) as NodeKind
        if (!KINDS.includes(kind) || !flow.current) return
        e.preventDefault()
        const at = flow.current.screenToFlowPosition({ x: e.clientX, y: e.clientY })
        const id = onDropKind(kind)
        if (id) {
          placed.current.set(id, at)
          onMove(id, at)
        }
      }}
    >
      <ReactFlow<CardNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={(c: Connection) => onConnect(c.source, c.sourceHandle ?? 'next', c.target)}
        onNodesDelete={(ns) => ns.forEach((n) => onDelete(n.id))}
        onEdgesDelete={(es) => es.forEach((e) => onConnect(e.source, e.sourceHandle ?? 'next', ''))}
        onPaneClick={() => onSelect(null)}
        deleteKeyCode={DELETE_KEYS}
        onInit={(rf) => {
          flow.current = rf
          initialView(rf, box.current)
        }}
        minZoom={0.2}
        maxZoom={1.5}
        ariaLabelConfig={{ 'node.a11yDescription.default': 'Press Enter to open this step’s settings; Delete removes it.' }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  )
}
