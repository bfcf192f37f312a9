import { TableWrap } from '../../../components/TableWrap'
import { count, pct } from '../format'
import type { FunnelResult } from '../types'
import { stepLabel } from './option'

/** The funnel per breakdown group: customers and conversion from the first step at each step. */
export function BreakdownTable({ result }: { result: FunnelResult }) {
  return (
    <>
      <h3 className="m-subhead">By group</h3>
      <TableWrap label="Funnel by group">
        <table>
          <thead>
            <tr>
              <th scope="col">Group</th>
              {result.steps.map((s, i) => (
                <th key={i} scope="col" className="num">
                  {stepLabel(s.event, i)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(result.breakdown ?? []).map((row) => (
              <tr key={row.value}>
                <th scope="row">{row.value || <span className="muted">(none)</span>}</th>
                {row.counts.map((c, i) => (
                  <td key={i} className="num">
                    {count(c)}
                    {i > 0 && <span className="cell-note">{pct(row.conversion_from_first[i])}</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  )
}
