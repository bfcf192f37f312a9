import type { Profile } from '../../api'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { TableWrap } from '../../components/TableWrap'
import { Time } from '../../components/Time'
import { formatValue } from '../../format'
import { useSourceNames } from '../../useSourceNames'
import { traitRows } from './traits'

/** Every trait leaf with its value and where it came from (newer event time wins). */
export function TraitsPanel({ profile }: { profile: Profile }) {
  const sourceName = useSourceNames()
  const rows = traitRows(profile)
  return (
    <Panel
      title="Traits"
      className="span-all"
      isEmpty={rows.length === 0}
      empty={
        <EmptyState title="No traits yet">
          <p>
            Traits come from the <code>traits</code> of identify calls and from computed traits such as{' '}
            <code>lifetime_revenue</code>, which fill in as this customer's events arrive.
          </p>
        </EmptyState>
      }
    >
      <TableWrap label="Trait list">
        <table>
          <thead>
            <tr>
              <th scope="col">Trait</th>
              <th scope="col">Value</th>
              <th scope="col">Updated</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.path}>
                <th scope="row">
                  <code>{r.path}</code>
                </th>
                <td className="break">{formatValue(r.value)}</td>
                <td className="nowrap">
                  <Time value={r.meta.time} />
                </td>
                <td>
                  {sourceName(r.meta.source_id)}
                  {r.meta.computed && <span className="badge badge-computed badge-after">computed</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Panel>
  )
}
