import type { DebuggerEvent } from '../../api'
import { reasonText } from './reasons'

const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' })

function ClockTime({ value }: { value: string }) {
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return <span>{value}</span>
  return (
    <time dateTime={value} title={value}>
      {clock.format(d)}
    </time>
  )
}

/** Pretty JSON when text is JSON, else the text as it is. */
function pretty(v: unknown): string {
  if (typeof v !== 'string') return JSON.stringify(v, null, 2)
  try {
    return JSON.stringify(JSON.parse(v), null, 2)
  } catch {
    return v
  }
}

const KIND_TITLE: Record<DebuggerEvent['kind'], string> = {
  accepted: 'Stored',
  duplicate: 'Already received with this messageId: acknowledged, not stored again',
  rejected: 'Failed validation: not stored',
}

const dash = <span className="muted">—</span>

/** One event of the live debugger; a rejected one is highlighted with its reason in words. */
export function DebuggerRow({ event: e, showSource }: { event: DebuggerEvent; showSource: boolean }) {
  const rejected = e.kind === 'rejected'
  const body = rejected ? e.excerpt : e.payload
  return (
    <tr className={rejected ? 'dbg-row dbg-row-rejected' : 'dbg-row'}>
      <td className="nowrap">
        <ClockTime value={e.received_at} />
      </td>
      {showSource && <td className="nowrap">{e.source_name || e.source_id}</td>}
      <td>
        <span className={`badge dbg-badge-${e.kind}`} title={KIND_TITLE[e.kind]}>
          {e.kind}
        </span>
      </td>
      {rejected ? (
        <td colSpan={3}>
          <strong className="dbg-reason">{reasonText(e.reason)}</strong> <code className="dbg-code">{e.reason}</code>
          {e.detail && <span className="cell-note dbg-detail">{e.detail}</span>}
          {e.field && (
            <span className="cell-note">
              Field: <code>{e.field}</code>
            </span>
          )}
        </td>
      ) : (
        <>
          <td>{e.type || dash}</td>
          <td>{e.event || dash}</td>
          <td className="break">
            {e.user_id || e.anonymous_id ? (
              <>
                {e.user_id && <span className="dbg-id">userId {e.user_id}</span>}
                {e.anonymous_id && <span className="dbg-id">anonymousId {e.anonymous_id}</span>}
              </>
            ) : (
              dash
            )}
          </td>
        </>
      )}
      <td>
        {body !== undefined && body !== '' ? (
          <details>
            <summary>{rejected ? 'Excerpt' : 'Payload'}</summary>
            {!rejected && e.truncated && <p className="hint">Over 8 KiB: only the beginning is shown.</p>}
            <pre className="payload">{pretty(body)}</pre>
          </details>
        ) : (
          dash
        )}
      </td>
    </tr>
  )
}
