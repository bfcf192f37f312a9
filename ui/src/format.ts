// Display helpers shared by the views.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const numbers = new Intl.NumberFormat()

/** Go's zero time, which the API sends for "never". */
const ZERO = /^0001-01-01/

export function formatTime(iso: string | undefined): string {
  if (!iso || ZERO.test(iso)) return '—'
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d)
}

export function formatNumber(n: number): string {
  return numbers.format(n)
}

/** A trait or property value as text: strings as they are, the rest as JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === undefined) return ''
  return JSON.stringify(v)
}

/** "1 event" / "3 events". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`
}

/** A duration in seconds as "4 s", "3 min", "2 h 5 min". */
export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`
}
