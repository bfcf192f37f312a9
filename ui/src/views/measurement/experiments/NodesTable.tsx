import { TableWrap } from '../../../components/TableWrap'
import { count, points, pValue } from '../format'
import type { NodeReport } from '../typesModels'

const COUNTS: Array<[keyof NodeReport, string]> = [
  ['entered', 'Entered'],
  ['waiting', 'Waiting'],
  ['sent', 'Sent'],
  ['skipped', 'Skipped'],
  ['failed', 'Failed'],
  ['delivered', 'Delivered'],
  ['opened', 'Opened'],
  ['clicked', 'Clicked'],
  ['converted', 'Converted'],
]

const exits = (e: NodeReport['exited']) =>
  Object.entries(e ?? {})
    .map(([why, n]) => `${why} ${count(n)}`)
    .join(', ')

/** Per node: the counts, the exits, and a message against its control group. */
export function NodesTable({ nodes }: { nodes: NodeReport[] }) {
  if (nodes.length === 0) return null
  return (
    <>
      <h3 className="m-subhead">Steps</h3>
      <TableWrap label="Counts per journey step">
        <table>
          <thead>
            <tr>
              <th scope="col">Step</th>
              {COUNTS.map(([k, label]) => (
                <th key={k} scope="col" className="num">
                  {label}
                </th>
              ))}
              <th scope="col">Exits</th>
              <th scope="col">Against control</th>
            </tr>
          </thead>
          <tbody>
            {nodes.map((n) => (
              <tr key={n.node} className={n.control?.underperforming ? 'm-row-bad' : undefined}>
                <th scope="row">
                  <code>{n.node}</code>
                </th>
                {COUNTS.map(([k]) => (
                  <td key={k} className="num">
                    {count(Number(n[k]) || 0)}
                  </td>
                ))}
                <td>{exits(n.exited) || <span className="muted">—</span>}</td>
                <td>
                  {n.control ? (
                    <>
                      {points(n.control.test.diff)}
                      <span className="cell-note">adjusted p {pValue(n.control.adjusted_p)}</span>
                      {n.control.underperforming && <span className="badge m-badge-bad">underperforming</span>}
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  )
}
