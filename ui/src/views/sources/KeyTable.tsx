import { useRef } from 'react'
import type { WriteKey } from '../../api'
import { TableWrap } from '../../components/TableWrap'
import { Time } from '../../components/Time'
import { CopyButton } from './CopyButton'

interface Props {
  keys: WriteKey[]
  /** A key added just now, highlighted. */
  fresh?: string | undefined
  onRevoke: (k: WriteKey) => void
}

/** A source's write keys, active ones first, newest first. */
export function KeyTable({ keys, fresh, onRevoke }: Props) {
  const sorted = [...keys].sort(
    (a, b) => Number(!!a.revoked_at) - Number(!!b.revoked_at) || b.created_at.localeCompare(a.created_at),
  )
  return (
    <TableWrap label="Write key list">
      <table>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="src-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((k) => (
            <KeyRow key={k.key} k={k} fresh={k.key === fresh} onRevoke={onRevoke} />
          ))}
        </tbody>
      </table>
    </TableWrap>
  )
}

function KeyRow({ k, fresh, onRevoke }: { k: WriteKey; fresh: boolean; onRevoke: (k: WriteKey) => void }) {
  const code = useRef<HTMLElement>(null)
  const short = `${k.key.slice(0, 8)}…`
  return (
    <tr className={fresh ? 'src-row-new' : undefined}>
      <th scope="row" className="break">
        <code ref={code} className={k.revoked_at ? 'src-key src-key-revoked' : 'src-key'}>
          {k.key}
        </code>
        {fresh && <span className="badge badge-live badge-after">new</span>}
      </th>
      <td className="nowrap">
        <Time value={k.created_at} />
      </td>
      <td className="nowrap">
        {k.revoked_at ? (
          <>
            <span className="badge badge-stopped">revoked</span>
            <span className="cell-note">
              <Time value={k.revoked_at} />
            </span>
          </>
        ) : (
          <span className="badge badge-active">active</span>
        )}
      </td>
      <td className="nowrap src-key-actions">
        {!k.revoked_at && (
          <>
            <CopyButton text={k.key} target={code} label={`Copy key ${short}`} />
            <button type="button" className="button-secondary" aria-label={`Revoke key ${short}`} onClick={() => onRevoke(k)}>
              Revoke
            </button>
          </>
        )}
      </td>
    </tr>
  )
}
