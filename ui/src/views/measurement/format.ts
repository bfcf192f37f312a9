// Number formats of the Measurement views: counts with thousands separators,
// rates as percentages with one decimal.
import { formatNumber, formatSeconds } from '../../format'
import type { Interval } from './types'

const percent = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 })
const signedPercent = new Intl.NumberFormat(undefined, {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
})
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 })
const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const precise = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 4 })

/** A whole count: "12,345". */
export const count = (n: number): string => formatNumber(Math.round(n))

/** A fraction as a percentage with one decimal: 0.1234 → "12.3%". */
export const pct = (f: number | null | undefined): string => (f == null || !Number.isFinite(f) ? '—' : percent.format(f))

/** A relative change with its sign: 0.236 → "+23.6%". */
export const signedPct = (f: number | null | undefined): string =>
  f == null || !Number.isFinite(f) ? '—' : signedPercent.format(f)

/** An interval of fractions: "[12.4%, 35.8%]". */
export const pctInterval = (ci: Interval | null | undefined): string => (ci ? `[${pct(ci.low)}, ${pct(ci.high)}]` : '—')

/** A fractional quantity with up to two decimals: "3.14", "1,234.5". */
export const dec = (n: number | null | undefined): string => (n == null || !Number.isFinite(n) ? '—' : decimal.format(n))

/** An amount of money (no currency: the revenue property has none): "1,234.50". */
export const amount = (n: number | null | undefined): string => (n == null || !Number.isFinite(n) ? '—' : money.format(n))

/** A model parameter to four significant digits. */
export const param = (n: number | null | undefined): string => (n == null || !Number.isFinite(n) ? '—' : precise.format(n))

/** A p-value: "< 0.001" below that, else three decimals. */
export function pValue(p: number | null | undefined): string {
  if (p == null || !Number.isFinite(p)) return '—'
  return p < 0.001 ? '< 0.001' : p.toFixed(3)
}

/** A duration in seconds, or "—" for none. */
export const seconds = (s: number | null | undefined): string => (s == null ? '—' : formatSeconds(s))

/** A cohort or period start (an RFC 3339 time at midnight UTC) as its date. */
export const day = (iso: string): string => iso.slice(0, 10)

const pointsFormat = new Intl.NumberFormat(undefined, {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
})

/** A difference of two rates in percentage points: 0.0214 → "+2.1 pts". */
export const points = (f: number | null | undefined): string =>
  f == null || !Number.isFinite(f) ? '—' : `${pointsFormat.format(f * 100)} pts`

/** An interval of rate differences in percentage points: "[+0.6, +3.7] pts". */
export const pointsInterval = (ci: Interval | null | undefined): string =>
  ci ? `[${pointsFormat.format(ci.low * 100)}, ${pointsFormat.format(ci.high * 100)}] pts` : '—'
