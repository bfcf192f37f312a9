import { useId } from 'react'

export type KindFilter = '' | 'accepted' | 'duplicate' | 'rejected'

export interface Filter {
  kind: KindFilter
  text: string
}

interface Props {
  filter: Filter
  onFilter: (f: Filter) => void
  paused: boolean
  onPause: () => void
  onResume: () => void
  onClear: () => void
}

/** Pause/resume, clear, and the filters of the live debugger. */
export function DebuggerToolbar({ filter, onFilter, paused, onPause, onResume, onClear }: Props) {
  const kindId = useId()
  const textId = useId()
  return (
    <div className="filters dbg-toolbar">
      <div className="field">
        <label htmlFor={kindId}>Show</label>
        <select id={kindId} value={filter.kind} onChange={(e) => onFilter({ ...filter, kind: e.target.value as KindFilter })}>
          <option value="">All events</option>
          <option value="accepted">Accepted</option>
          <option value="duplicate">Duplicates</option>
          <option value="rejected">Rejected</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={textId}>Type or event name</label>
        <input
          id={textId}
          type="search"
          value={filter.text}
          placeholder="track, Order Completed"
          onChange={(e) => onFilter({ ...filter, text: e.target.value })}
        />
      </div>
      <button type="button" className="button-secondary" onClick={paused ? onResume : onPause}>
        {paused ? 'Resume' : 'Pause'}
      </button>
      <button type="button" className="button-secondary" onClick={onClear}>
        Clear
      </button>
    </div>
  )
}
