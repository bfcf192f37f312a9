import { Link } from 'react-router'
import type { Source } from '../../api'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { TableWrap } from '../../components/TableWrap'
import { Time } from '../../components/Time'
import { plural } from '../../format'
import { channelLabel, isInternalSource } from './channels'

interface Props {
  sources: Source[] | undefined
  loading: boolean
  error: string | undefined
  onRetry: () => void
}

/** Every source with its channel, party and how many of its write keys work. */
export function SourceList({ sources, loading, error, onRetry }: Props) {
  return (
    <Panel
      title="Sources"
      loading={loading && !sources}
      error={error}
      onRetry={onRetry}
      isEmpty={sources?.length === 0}
      empty={
        <EmptyState title="No sources yet">
          <p>Create a source above for each place events come from, then put its write key in that place’s SDK.</p>
        </EmptyState>
      }
    >
      {sources && (
        <TableWrap label="Source list">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Channel</th>
                <th scope="col">Party</th>
                <th scope="col">Write keys</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {sources.map((s) => {
                const active = (s.write_keys ?? []).filter((k) => !k.revoked_at).length
                return (
                  <tr key={s.id}>
                    <th scope="row">
                      <Link to={`/sources/${encodeURIComponent(s.id)}`}>{s.name}</Link>
                      <span className="cell-note">
                        <code>{s.id}</code>
                      </span>
                    </th>
                    <td>{channelLabel(s.channel)}</td>
                    <td>{s.party}</td>
                    <td>{isInternalSource(s) ? <span className="muted">Cairn’s own events</span> : plural(active, 'active key')}</td>
                    <td className="nowrap">
                      <Time value={s.created_at} />
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Panel>
  )
}
