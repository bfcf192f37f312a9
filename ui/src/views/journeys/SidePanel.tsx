import { useId } from 'react'
import { formatNumber } from '../../format'
import type { Refs } from './forms/formTypes'
import { EntryPanel, JourneyPanel } from './JourneyPanel'
import { NodePanel } from './NodePanel'
import type { NodeCounts } from './overlay'
import { problemField, problemText } from './problems'
import { nodeTitle } from './summary'
import { ENTRY_ID, KIND_LABEL, kindOf, type JourneyDefinition, type Problem } from './types'
import { WaitingList } from './WaitingList'

interface Props {
  def: JourneyDefinition
  /** A node id, ENTRY_ID, or null for the journey's own settings. */
  selected: string | null
  problems: Problem[]
  counts?: NodeCounts | undefined
  /** The steps of the live version: at those, show who waits there. */
  liveIds: Set<string>
  refs: Refs
  onSetNode: (id: string, path: string, value: unknown) => void
  onSetDef: (path: string, value: unknown) => void
  onRename: (from: string, to: string) => string | undefined
  onConnect: (source: string, slot: string, target: string) => void
  onDelete: (id: string) => void
  onClose: () => void
}

const COUNT_LABELS: Array<[keyof NodeCounts, string]> = [
  ['entered', 'Entered'],
  ['waiting', 'Waiting now'],
  ['sent', 'Sent'],
  ['converted', 'Converted'],
]

/** The settings of what is selected on the canvas, its problems, and on a live journey its numbers and who waits there. */
export function SidePanel(p: Props) {
  const { def, selected, problems, counts, refs } = p
  const headingId = useId()
  const node = selected && selected !== ENTRY_ID ? def.nodes.find((n) => n.id === selected) : undefined
  const kind = node ? kindOf(node) : ''
  const title = selected === null ? 'Journey settings' : selected === ENTRY_ID ? 'Entry' : nodeTitle(def, selected)
  return (
    <aside className="jr-side" aria-labelledby={headingId}>
      <div className="jr-side-header">
        <h2 id={headingId}>
          {title}
          {kind && <span className="jr-side-kind">{KIND_LABEL[kind]}</span>}
        </h2>
        {selected !== null && (
          <button type="button" className="button-secondary jr-small" onClick={p.onClose}>
            Journey settings
          </button>
        )}
      </div>
      {problems.length > 0 && (
        <ul className="jr-side-problems" aria-label="Problems here">
          {problems.map((pr, i) => (
            <li key={i}>
              {problemField(pr) && <code>{problemField(pr)}</code>} {problemText(pr)}
            </li>
          ))}
        </ul>
      )}
      {counts && selected !== null && (
        <dl className="jr-side-counts">
          {COUNT_LABELS.filter(([k]) => counts[k] !== undefined).map(([k, label]) => (
            <div key={k}>
              <dt>{label}</dt>
              <dd>{formatNumber(counts[k] ?? 0)}</dd>
            </div>
          ))}
        </dl>
      )}
      {node && p.liveIds.has(node.id) && (
        <details className="jr-side-waiting">
          <summary>Customers at this step now</summary>
          <WaitingList key={node.id} journeyId={def.id} node={node.id} />
        </details>
      )}
      <div className="jr-side-form">
        {selected === null && <JourneyPanel def={def} refs={refs} onSet={p.onSetDef} onConnect={(s, t) => p.onConnect(ENTRY_ID, s, t)} />}
        {selected === ENTRY_ID && <EntryPanel def={def} refs={refs} onSet={p.onSetDef} onConnect={(s, t) => p.onConnect(ENTRY_ID, s, t)} />}
        {node && (
          <NodePanel
            node={node}
            refs={refs}
            onSet={(path, v) => p.onSetNode(node.id, path, v)}
            onRename={(to) => p.onRename(node.id, to)}
            onConnect={(s, t) => p.onConnect(node.id, s, t)}
          />
        )}
        {selected && selected !== ENTRY_ID && !node && <p className="muted">This step is no longer in the journey.</p>}
      </div>
      {node && (
        <button type="button" className="button-danger jr-delete" onClick={() => p.onDelete(node.id)}>
          Delete this step
        </button>
      )}
    </aside>
  )
}
