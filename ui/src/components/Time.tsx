import { formatTime } from '../format'

/** A timestamp in the reader's locale, with the exact RFC 3339 value as a tooltip. */
export function Time({ value }: { value: string | undefined }) {
  const text = formatTime(value)
  if (text === '—' || !value) return <span className="muted">—</span>
  return (
    <time dateTime={value} title={value}>
      {text}
    </time>
  )
}
