import { useState } from 'react'
import { Link } from 'react-router'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { TableWrap } from '../../components/TableWrap'
import { Time } from '../../components/Time'
import { formatNumber } from '../../format'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { segmentMembers } from './segmentsApi'

interface Props {
  segmentId: string
  live: boolean
  /** Changes when what is shown may have changed (a new version, the end of a backfill). */
  refresh: string
}

const PAGE = 50

/** The members, a page at a time (by profile id), each a link to the profile. */
export function MembersPanel({ segmentId, live, refresh }: Props) {
  const api = useApi()
  // The cursors of the pages seen, to go back: [''] is the first page.
  const [cursors, setCursors] = useState<string[]>([''])
  const cursor = cursors[cursors.length - 1] ?? ''
  const page = useLoad(
    (signal) => (live ? segmentMembers(api, segmentId, { cursor, limit: PAGE }, signal) : Promise.resolve(undefined)),
    [api, segmentId, cursor, live, refresh],
  )
  const d = page.data
  const from = (cursors.length - 1) * PAGE
  return (
    <Panel
      title={d ? `Members (${formatNumber(d.size)})` : 'Members'}
      loading={live && page.loading && !d}
      error={page.error}
      onRetry={page.reload}
      isEmpty={!live || d?.members.length === 0}
      empty={
        <EmptyState title={live ? 'No members right now' : 'Not computed'}>
          <p>
            {live
              ? 'Nobody matches the conditions at the moment. Members join as soon as their events or traits match.'
              : 'This segment is not live, so it has no members to list.'}
          </p>
        </EmptyState>
      }
    >
      {d && (
        <>
          <TableWrap label="Segment members">
            <table aria-busy={page.loading || undefined}>
              <thead>
                <tr>
                  <th scope="col">Profile</th>
                  <th scope="col">Member since</th>
                  <th scope="col" className="num">
                    Version
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.members.map((m) => (
                  <tr key={m.profile_id}>
                    <th scope="row">
                      <Link to={`/profiles/${encodeURIComponent(m.profile_id)}`}>
                        <code>{m.profile_id}</code>
                      </Link>
                    </th>
                    <td className="nowrap">
                      <Time value={m.since} />
                    </td>
                    <td className="num">{m.version}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <nav className="pager" aria-label="Member pages">
            <button type="button" className="button-secondary" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Previous page
            </button>
            <span className="muted">
              {formatNumber(from + 1)}–{formatNumber(from + d.members.length)} of {formatNumber(d.size)}
            </span>
            <button
              type="button"
              className="button-secondary"
              disabled={!d.next_cursor}
              onClick={() => setCursors((c) => [...c, d.next_cursor])}
            >
              Next page
            </button>
          </nav>
        </>
      )}
    </Panel>
  )
}
