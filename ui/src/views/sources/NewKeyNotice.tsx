import { useEffect, useId, useRef } from 'react'
import { Link } from 'react-router'
import type { Source } from '../../api'
import { CopyButton } from './CopyButton'

/** Shown after a source is created: its write key, large, with a copy button and what to do next. */
export function NewKeyNotice({ source, onDismiss }: { source: Source; onDismiss: () => void }) {
  const key = source.write_keys?.find((k) => !k.revoked_at)?.key ?? ''
  const field = useRef<HTMLInputElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const fieldId = useId()
  const titleId = useId()

  useEffect(() => heading.current?.focus(), [source.id])

  return (
    <section className="panel src-new-key" aria-labelledby={titleId}>
      <h2 id={titleId} ref={heading} tabIndex={-1}>
        Source “{source.name}” created
      </h2>
      <label htmlFor={fieldId}>Write key</label>
      <div className="src-key-row">
        <input
          ref={field}
          id={fieldId}
          className="src-key-value"
          type="text"
          readOnly
          value={key}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton text={key} target={field} label="Copy the write key" className="button-primary" />
      </div>
      <p className="hint">
        Put this key in the SDK of “{source.name}”. It stays listed on the source’s page, where you can add a new one
        and revoke this one.
      </p>
      <p className="src-new-key-actions">
        <Link to={`/sources/${encodeURIComponent(source.id)}`}>Open “{source.name}” for SDK snippets and the live debugger</Link>
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      </p>
    </section>
  )
}
