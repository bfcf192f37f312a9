// Literals and durations as people type them, and back.

type Scalar = string | number | boolean

/** A scalar as typed: numbers and true/false as such, "quoted" text as text (so "100" is the string), else text. */
export function parseScalar(text: string): Scalar {
  const t = text.trim()
  if (/^".*"$/.test(t)) {
    try {
      return JSON.parse(t) as string
    } catch {
      return t.slice(1, -1)
    }
  }
  if (t === 'true' || t === 'false') return t === 'true'
  if (t !== '' && /^-?\d/.test(t) && Number.isFinite(Number(t))) return Number(t)
  return t
}

/** How a scalar is shown so that parseScalar gives it back: text that would read as a number or boolean is quoted. */
export function formatScalar(v: Scalar): string {
  if (typeof v !== 'string') return String(v)
  return parseScalar(v) === v ? v : JSON.stringify(v)
}

/** A list typed as "a, b, 3" (quote an item holding a comma: "a, b"). */
export function parseList(text: string): Scalar[] {
  const items = text.match(/"(?:[^"\\]|\\.)*"|[^,]+/g) ?? []
  return items.map((s) => s.trim()).filter((s) => s !== '').map(parseScalar)
}

export function formatList(list: readonly Scalar[]): string {
  return list.map((v) => (typeof v === 'string' && v.includes(',') ? JSON.stringify(v) : formatScalar(v))).join(', ')
}

export const UNITS = [
  ['s', 'seconds'],
  ['m', 'minutes'],
  ['h', 'hours'],
  ['d', 'days'],
  ['w', 'weeks'],
] as const

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400 }

/** Seconds of "30d", "2w", "90m", "45s" or a Go duration "1h30m"; undefined when it is none. */
export function durationSeconds(s: string): number | undefined {
  const parts = s.trim().match(/(\d+(?:\.\d+)?)(ms|us|µs|ns|[smhdw])/g)
  if (!parts || parts.join('') !== s.trim()) return undefined
  let total = 0
  for (const p of parts) {
    const m = /^(\d+(?:\.\d+)?)(ms|us|µs|ns|[smhdw])$/.exec(p) as RegExpExecArray
    const unit = m[2] as string
    const per = SECONDS[unit] ?? { ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 }[unit] ?? 0
    total += Number(m[1]) * per
  }
  return total
}

/** The short form the server prints: the largest exact unit up to days (2w → 14d, 1h30m → 90m). */
export function canonicalDuration(s: string): string {
  const secs = durationSeconds(s)
  if (secs === undefined || secs <= 0 || !Number.isInteger(secs)) return s
  for (const u of ['d', 'h', 'm', 's']) {
    const per = SECONDS[u] as number
    if (secs % per === 0) return `${secs / per}${u}`
  }
  return s
}

/** A duration split for a number field and a unit menu: "30d" → {amount "30", unit "d"}. */
export function durationParts(s: string | undefined): { amount: string; unit: string } {
  if (!s) return { amount: '', unit: 'd' }
  const m = /^(\d*)([smhdw])$/.exec(s) ?? /^(\d+)([smhd])$/.exec(canonicalDuration(s))
  return m ? { amount: m[1] as string, unit: m[2] as string } : { amount: s, unit: 'd' }
}
