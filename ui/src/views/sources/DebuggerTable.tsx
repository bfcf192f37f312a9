import { TableWrap } from '../../components/TableWrap'
import type { FeedRow } from './feed'
import { DebuggerRow } from './DebuggerRow'

/** The debugger's rows, newest first. */
export function DebuggerTable({ rows, showSource }: { rows: FeedRow[]; showSource: boolean }) {
  return (
    <TableWrap label="Live events">
      <table className="timeline dbg-table">
        <thead>
          <tr>
            <th scope="col">Received</th>
            {showSource && <th scope="col">Source</th>}
            <th scope="col">Result</th>
            <th scope="col">Type</th>
            <th scope="col">Event</th>
            <th scope="col">Who</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <DebuggerRow key={r.id} event={r.event} showSource={showSource} />
          ))}
        </tbody>
      </table>
    </TableWrap>
  )
}
