import { useId, type ReactNode } from 'react'
import { ErrorMessage } from './ErrorMessage'

interface Props {
  title: string
  /** Shown instead of the content while the first load runs. */
  loading?: boolean
  /** The last load failed: shown above the content (which may be stale). */
  error?: string | undefined
  onRetry?: () => void
  /** When set and isEmpty, shown instead of the content. */
  empty?: ReactNode
  isEmpty?: boolean
  actions?: ReactNode
  className?: string
  children?: ReactNode
}

/** A titled section of a view with its own loading, error and empty states. */
export function Panel({ title, loading, error, onRetry, empty, isEmpty, actions, className, children }: Props) {
  const id = useId()
  let body: ReactNode = children
  if (loading) body = <p className="muted" role="status">Loading…</p>
  else if (isEmpty && !error) body = empty
  return (
    <section className={className ? `panel ${className}` : 'panel'} aria-labelledby={id} aria-busy={loading || undefined}>
      <div className="panel-header">
        <h2 id={id}>{title}</h2>
        {actions}
      </div>
      {error && <ErrorMessage message={error} onRetry={onRetry} />}
      {!(error && isEmpty) && body}
    </section>
  )
}
