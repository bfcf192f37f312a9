// The answers of the model and report routes (attribution, CLV,
// experiments, journey and stage reports). See types.ts for the shared parts.
import type { Bayes, Counts, Interval, Sequential, SRM, ZTest } from './types'

export interface ChannelCredit {
  channel: string
  conversions: number
  value: number
  share: number
}

export interface AttributionResult {
  model_names: string[]
  models: Record<string, ChannelCredit[]>
  channels: string[]
  totals: { paths: number; conversions: number; value: number; nulls: number }
  removal_effects?: Record<string, number>
  notes?: string[]
  conversion: string
  by: string
  lookback: string
  touches: number
  /** The server sends these two with capitalised names (no JSON tags in Go). */
  unattributed: { conversions: number; value: number }
  channel_rule: string
}

export interface FitReport {
  log_likelihood: number
  iterations: number
  converged: boolean
  grad_norm: number
  customers: number
}

export interface ClvCustomer {
  profile_id: string
  x: number
  t_x: number
  T: number
  zbar: number
  p_alive: number
  expected_purchases: number
  discounted_purchases: number
  expected_spend: number
  clv: number
  clv_undiscounted: number
}

export interface ClvResult {
  event: string
  revenue: string
  calibration_end: string
  horizon_weeks: number
  discount_rate: number
  transactions: number
  missing_revenue: number
  bg_nbd: { r: number; alpha: number; a: number; b: number }
  bg_nbd_fit: FitReport
  gamma_gamma: { p: number; q: number; gamma: number } | null
  gamma_gamma_fit: FitReport | null
  population: { customers: number; repeaters: number; expected_purchases: number; total_clv: number }
  top: ClvCustomer[]
  /** Every customer bucketed: the value (CLV, or expected purchases without a spend model) and P(alive) in tenths. */
  distribution: { of: 'clv' | 'expected_purchases'; buckets: ClvBucket[]; p_alive: ClvBucket[] }
  notes: string[]
}

export interface ClvBucket {
  from: number
  to: number
  customers: number
}

export interface ClvApplyResult {
  customers: number
  profiles_changed: number
  traits: string[]
}

export interface ExperimentArm extends Counts {
  id: string
  planned_percent: number
  rate: number
}

export interface ExperimentResult {
  journey_id: string
  version: number
  node: string
  kind: string
  metric: string
  window: string
  arms: ExperimentArm[]
  comparisons: Array<{
    a: string
    b: string
    report: { z_test: ZTest | null; sequential: Sequential; notes: string[] | null }
  }>
  bayes: Bayes | null
  srm: SRM
  notes: string[]
}

export interface NodeReport {
  node: string
  entered: number
  waiting: number
  sent: number
  skipped: number
  failed: number
  delivered: number
  opened: number
  clicked: number
  converted: number
  exited: Record<string, number> | null
  control: { sent: Counts; control: Counts; test: ZTest; adjusted_p: number; underperforming: boolean } | null
}

export interface ArmReport {
  arm: string
  counts: Counts
  rate: number
  ci: Interval
  vs_best: ZTest | null
  vs_control: ZTest | null
  adjusted_p: number | null
  underperforming: boolean
}

export interface JourneyReport {
  journey_id: string
  name: string
  instances: number
  nodes: NodeReport[]
  conversion: {
    treated: Counts
    holdout: Counts
    treated_rate: number
    treated_ci: Interval
    holdout_rate: number
    holdout_ci: Interval
    test: ZTest | null
    underperforming: boolean
  }
  splits: Array<{ node: string; best: string; arms: ArmReport[] }>
}

export interface StageRow {
  stage: string
  template: string
  channel: string
  sends: number
  responders: number
  rate: number
  ci: Interval
  stage_rate: number
  adjusted_p: number | null
  significant: boolean
}

export interface StageReport {
  metric: string
  sort: string
  rows: StageRow[]
}

export interface StageFlow {
  period: string
  sankey: {
    nodes: Array<{ id: string; column: number; at: string; stage: string; count: number }>
    links: Array<{ source: string; target: string; value: number }>
  }
  periods: Array<{ start: string; end: string; changes: number }>
}
