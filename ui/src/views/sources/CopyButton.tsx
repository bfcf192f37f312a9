import { useEffect, useState, type RefObject } from 'react'
import { copyText, type CopyResult } from './copy'

interface Props {
  text: string
  /** The element that shows the text, selected when the clipboard is not available. */
  target?: RefObject<HTMLElement | null>
  /** The accessible name, e.g. "Copy the write key". */
  label: string
  className?: string
}

/** A copy button that says what happened: copied, or selected for Ctrl+C. */
export function CopyButton({ text, target, label, className = 'button-secondary' }: Props) {
  const [result, setResult] = useState<CopyResult>()

  useEffect(() => {
    if (!result) return
    const id = window.setTimeout(() => setResult(undefined), 4000)
    return () => window.clearTimeout(id)
  }, [result])

  return (
    <span className="src-copy">
      <button type="button" className={className} aria-label={label} onClick={async () => setResult(await copyText(text, target?.current))}>
        Copy
      </button>
      <span className="src-copy-status" role="status">
        {result === 'copied' && 'Copied'}
        {result === 'selected' && 'Selected: press Ctrl+C (⌘C on a Mac) to copy'}
      </span>
    </span>
  )
}
