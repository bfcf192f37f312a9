import { Panel } from '../../components/Panel'
import { TableWrap } from '../../components/TableWrap'
import { count } from '../measurement/format'
import type { JourneyMapResult } from './model'

/** The stage changes of the range: who moved from which stage to which, forward or back. */
export function Transitions({ map }: { map: JourneyMapResult }) {
  const moves = [...map.transitions].sort((a, b) => b.customers - a.customers)
  return (
    <Panel
      title="Moves between stages"
      isEmpty={moves.length === 0}
      empty={<p className="muted">No customer changed stage in this range.</p>}
    >
      <TableWrap label="Moves between stages">
        <table>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col" className="num">Customers</th>
              <th scope="col">Direction</th>
            </tr>
          </thead>
          <tbody>
            {moves.map((t) => (
              <tr key={`${t.from}→${t.to}`}>
                <td>{t.from}</td>
                <td>{t.to}</td>
                <td className="num">{count(t.customers)}</td>
                <td>{t.forward ? 'Forward' : 'Back'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Panel>
  )
}
