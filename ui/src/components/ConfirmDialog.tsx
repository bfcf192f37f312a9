import { useEffect, useId, useRef, type ReactNode } from 'react'
import { ErrorMessage } from './ErrorMessage'

interface Props {
  title: string
  children: ReactNode
  /** The words of the button that does it, e.g. "Revoke key". */
  confirmLabel: string
  /** danger (default): the confirm button is red; primary for actions that destroy nothing (publish). */
  tone?: 'primary' | 'danger'
  busy?: boolean
  error?: string | undefined
  onConfirm: () => void
  onCancel: () => void
}

/**
 * A modal <dialog> asking to confirm an action. Mounted open; focus starts on
 * Cancel and returns to what opened it; Escape cancels.
 */
export function ConfirmDialog({ title, children, confirmLabel, tone = 'danger', busy, error, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null)
  const cancel = useRef<HTMLButtonElement>(null)
  const titleId = useId()
  const bodyId = useId()

  useEffect(() => {
    const d = ref.current
    if (!d) return
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    // jsdom (tests) has no showModal: the open attribute shows it there.
    if (typeof d.showModal === 'function') {
      if (!d.open) d.showModal()
    } else d.setAttribute('open', '')
    cancel.current?.focus()
    return () => {
      if (typeof d.close === 'function' && d.open) d.close()
      opener?.focus()
    }
  }, [])

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(e) => {
        e.preventDefault()
        if (!busy) onCancel()
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && typeof ref.current?.showModal !== 'function' && !busy) onCancel()
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId} className="dialog-body">
        {children}
      </div>
      {error && <ErrorMessage message={error} />}
      <div className="dialog-actions">
        <button ref={cancel} type="button" className="button-secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className={tone === 'danger' ? 'button-danger' : 'button-primary'} onClick={onConfirm} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  )
}
