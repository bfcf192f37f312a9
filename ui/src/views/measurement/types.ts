// The answers of the /v1/analytics routes the Measurement views read
// (docs/analytics.md; the Go result types under internal/analytics/*).
// Only the fields the views show are typed.

/** A two-sided interval. */
export interface Interval {
  low: number
  high: number
}

/** Successes out of trials. */
export interface Counts {
  successes: number
  trials: number
}

/** A pooled two-proportion z-test of arm B against arm A. */
export interface ZTest {
  rate_a: number
  rate_b: number
  z: number
  p: number
  diff: number
  diff_ci: Interval
  lift: { estimate: number; ci: Interval } | null
  alpha: number
}

/** A Beta-Binomial comparison of arms. */
export interface Bayes {
  p_best: number[]
  expected_loss: number[]
  method: string
}

/** A sample-ratio check of assignments against the planned split. */
export interface SRM {
  observed: number[]
  expected: number[]
  chi_square: number
  df: number
  p: number
  mismatch: boolean
}

/** Always-valid (mSPRT) inference at this look. */
export interface Sequential {
  diff: number
  p: number
  cs: Interval
  reject: boolean
}

// --- funnels, paths, retention ------------------------------------------

export interface FunnelStep {
  event: string
  count: number
  conversion_from_previous: number
  conversion_from_first: number
  median_seconds: number | null
  p90_seconds: number | null
  dropped: { total: number; sample: string[] | null; segment?: unknown }
}

export interface FunnelBreakdownRow {
  value: string
  counts: number[]
  conversion_from_first: number[]
}

export interface FunnelData {
  entered: number
  steps: FunnelStep[]
  breakdown?: FunnelBreakdownRow[]
}

/** A segment as the API shows it (save_dropoff's saved_segment). */
export interface SavedSegment {
  id: string
  name: string
  status: string
  text?: string
}

export interface FunnelResult extends FunnelData {
  window: string
  order: 'strict' | 'any'
  compare?: FunnelData
  note: string
  saved_segment?: SavedSegment
}

export interface PathsResult {
  profiles: number
  paths: Array<{ steps: string[]; count: number }>
  other: number
  sankey: {
    nodes: Array<{ id: number; name: string; step: number }>
    links: Array<{ source: number; target: number; value: number }>
  }
}

export interface RetentionResult {
  period: string
  cohort_event: string
  return_event: string
  rows: Array<{ cohort: string; size: number; retained: number[]; rates: number[] }>
}

// --- lift ------------------------------------------------------------------

export interface LiftArm {
  customers: number
  units: number
  conversions: number
  rate: number
  ci: Interval
}

export interface LiftResult {
  unit: string
  window: string
  horizon: string
  holdout: LiftArm
  exposed: LiftArm
  excluded: { after_conversion: number; open_window: number }
  test: ZTest | null
  bayes: Bayes | null
  srm: SRM | null
  notes: string[] | null
}
