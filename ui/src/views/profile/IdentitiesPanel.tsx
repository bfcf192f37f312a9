import type { Profile } from '../../api'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { TableWrap } from '../../components/TableWrap'
import { Time } from '../../components/Time'

export function IdentitiesPanel({ profile: p }: { profile: Profile }) {
  return (
    <Panel
      title="Identities"
      className="span-all"
      isEmpty={p.identities.length === 0}
      empty={
        <EmptyState title="No identifiers">
          <p>This profile has no identifier left (it may have been erased).</p>
        </EmptyState>
      }
    >
      <TableWrap label="Identity list">
        <table>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Value</th>
              <th scope="col">First seen</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {p.identities.map((i) => (
              <tr key={`${i.type}:${i.value}`}>
                <th scope="row">{i.type}</th>
                <td className="break">{i.value}</td>
                <td className="nowrap">
                  <Time value={i.first_seen} />
                </td>
                <td className="nowrap">
                  <Time value={i.last_seen} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Panel>
  )
}
