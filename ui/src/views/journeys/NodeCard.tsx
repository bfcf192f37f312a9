import { Handle, Position, type Node, type NodeProps } from '@xyflow/react'
import { formatNumber } from '../../format'
import type { Slot } from './graph'
import type { NodeCounts } from './overlay'
import type { NodeKind } from './types'

export interface CardData extends Record<string, unknown> {
  kind: NodeKind | 'entry' | ''
  title: string
  summary: string
  slots: Slot[]
  problems: number
  counts?: NodeCounts | undefined
}

export type CardNode = Node<CardData, 'journey'>

const COUNTS: Array<[keyof NodeCounts, string]> = [
  ['entered', 'in'],
  ['waiting', 'waiting'],
  ['sent', 'sent'],
  ['converted', 'converted'],
]

/** A step on the canvas: its name, its kind and what it does ("Delay · 2 days"; the kind is also the left border's colour), live numbers and problems. */
export function NodeCard({ data, selected }: NodeProps<CardNode>) {
  const cls = ['jr-card', `jr-kind-${data.kind || 'unknown'}`, selected ? 'jr-card-selected' : '', data.problems ? 'jr-card-invalid' : '']
  const n = data.slots.length
  const counts = data.counts ? COUNTS.filter(([k]) => data.counts?.[k] !== undefined) : []
  return (
    <div className={cls.filter(Boolean).join(' ')}>
      {data.kind !== 'entry' && <Handle type="target" position={Position.Left} id="in" className="jr-handle" />}
      <p className="jr-card-title">{data.title}</p>
      <p className="jr-card-summary">{data.summary}</p>
      {counts.length > 0 && (
        <p className="jr-card-counts">
          {counts.map(([k, label]) => (
            <span key={k}>
              <strong>{formatNumber(data.counts?.[k] ?? 0)}</strong> {label}
            </span>
          ))}
        </p>
      )}
      {data.problems > 0 && (
        <p className="jr-card-problem">
          {data.problems} {data.problems === 1 ? 'problem' : 'problems'}
        </p>
      )}
      {data.slots.map((s, i) => (
        <Handle
          key={s.path}
          type="source"
          position={Position.Right}
          id={s.path}
          className={s.target ? 'jr-handle' : 'jr-handle jr-handle-open'}
          style={{ top: `${((i + 1) / (n + 1)) * 100}%` }}
          title={s.label ? `Drag to connect “${s.label}”` : 'Drag to connect the next step'}
        />
      ))}
    </div>
  )
}
