// Pieces shared by the request builders: property filters, dates, numbers.

/** The filter operators offered in the forms (the segment filter language's, docs/segments.md). */
export const OPS = [
  ['equals', '='],
  ['not_equals', '≠'],
  ['gt', '>'],
  ['gte', '≥'],
  ['lt', '<'],
  ['lte', '≤'],
  ['contains', 'contains'],
  ['starts_with', 'starts with'],
  ['in', 'is one of'],
  ['between', 'between'],
  ['exists', 'exists'],
  ['not_exists', 'does not exist'],
] as const

export type Op = (typeof OPS)[number][0]

/** One property filter of a form; an empty property means none. */
export interface FilterForm {
  property: string
  op: Op
  value: string
}

export const NO_FILTER: FilterForm = { property: '', op: 'equals', value: '' }

/** A literal as typed: a number or true/false as such, "quoted" text as text, anything else as text. */
export function scalar(text: string): string | number | boolean {
  const t = text.trim()
  if (/^".*"$/.test(t)) return t.slice(1, -1)
  if (t === 'true' || t === 'false') return t === 'true'
  if (t !== '' && Number.isFinite(Number(t))) return Number(t)
  return t
}

/** A filter in the API's form, {"property","op","value"}; context.* paths test the event's context. */
export function filterJSON(f: FilterForm): Record<string, unknown> {
  const path = f.property.trim()
  const field = path.startsWith('context.') ? { context: path.slice('context.'.length) } : { property: path }
  if (f.op === 'exists' || f.op === 'not_exists') return { ...field, op: f.op }
  const parts = f.value.split(',').map(scalar)
  const value = f.op === 'in' || f.op === 'between' ? parts : scalar(f.value)
  return { ...field, op: f.op, value }
}

/** The where list of a step: none without a property. */
export function whereOf(f: FilterForm): Array<Record<string, unknown>> | undefined {
  return f.property.trim() ? [filterJSON(f)] : undefined
}

/** The start of a day picked in a date input, as an RFC 3339 time in UTC; undefined for none. */
export function dayStart(d: string): string | undefined {
  return d ? `${d}T00:00:00Z` : undefined
}

/** The end of a picked day (the next midnight, UTC), so the day is included. */
export function dayEnd(d: string): string | undefined {
  if (!d) return undefined
  const t = new Date(`${d}T00:00:00Z`)
  t.setUTCDate(t.getUTCDate() + 1)
  return t.toISOString().replace('.000Z', 'Z')
}

/** A number typed in a field; undefined when empty (the server's default applies), NaN kept for the server to refuse. */
export function numberOr(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text)
}

/** Drops the keys whose value is undefined or '' (the server's defaults apply). */
export function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>
}
