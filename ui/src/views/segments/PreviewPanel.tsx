import { useId } from 'react'
import { Link } from 'react-router'
import { ErrorMessage } from '../../components/ErrorMessage'
import { formatNumber } from '../../format'
import type { Preview } from './usePreview'

interface Props {
  preview: Preview
  /** Why there is nothing to preview yet, e.g. "Add a condition". */
  idle?: string
  /** A preview error that is about no node or field of the form (shown here). */
  error: string | undefined
  /** The preview failed on something marked in the form. */
  invalid: boolean
}

/** The live size estimate and a sample of the profiles that match, while editing. */
export function PreviewPanel({ preview, idle, error, invalid }: Props) {
  const id = useId()
  const r = preview.result
  const busy = preview.status === 'waiting' || preview.status === 'loading'
  return (
    <section className="panel seg-preview" aria-labelledby={id} aria-busy={busy || undefined}>
      <div className="panel-header">
        <h2 id={id}>Size estimate</h2>
        <span className="muted" role="status">
          {busy ? 'Updating…' : ''}
        </span>
      </div>
      {preview.status === 'idle' && <p className="muted">{idle ?? 'Edit the conditions to see how many profiles match.'}</p>}
      {error && <ErrorMessage message={error} />}
      {invalid && <p className="field-error">Fix what is marked in the conditions to see the size.</p>}
      {r && preview.status !== 'idle' && (
        <div className={invalid || error ? 'seg-stale' : undefined}>
          <p className="seg-estimate">
            <span className="seg-big">≈ {formatNumber(r.estimated_size)}</span> profiles
          </p>
          <p className="hint">
            {formatNumber(r.matched)} of {formatNumber(r.evaluated)} sampled profiles match, out of{' '}
            {formatNumber(r.total_profiles)}.
          </p>
          <h3 className="seg-subhead">Sample members</h3>
          {r.sample_members.length === 0 ? (
            <p className="muted">No profile in the sample matches.</p>
          ) : (
            <ul className="seg-sample">
              {r.sample_members.map((id) => (
                <li key={id}>
                  <Link to={`/profiles/${encodeURIComponent(id)}`}>
                    <code>{id}</code>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  )
}
