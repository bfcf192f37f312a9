interface Props {
  id?: string
  value: string | undefined
  onChange: (v: string) => void
  'aria-invalid'?: true
  'aria-describedby'?: string
}

const DAY = /^(\d{4}-\d\d-\d\d)(T00:00:00Z)?$/

/**
 * A day (a date picker, midnight UTC) or, for a value with a time of day, the
 * RFC 3339 text as it is, so nothing is lost.
 */
export function DateInput({ value = '', onChange, ...a11y }: Props) {
  const day = value === '' ? '' : DAY.exec(value)?.[1]
  if (day === undefined) {
    return <input {...a11y} type="text" value={value} onChange={(e) => onChange(e.target.value)} placeholder="2026-01-31T12:00:00Z" />
  }
  return <input {...a11y} type="date" value={day} onChange={(e) => onChange(e.target.value)} />
}
