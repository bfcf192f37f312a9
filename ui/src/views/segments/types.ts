// The segment condition language as JSON (docs/segments.md): the builder keeps
// the definition as this tree, exactly what the API takes and returns.

import type { Segment } from '../../api'

export type Literal = string | number | boolean | Array<string | number | boolean>

/** An operator with its literal: a trait test, a filter, an aggregate comparison, a time test. */
export interface Test {
  op: string
  value?: Literal
  tz?: string
}

/** One event field test: properties.<property> or context.<context>. */
export interface Filter extends Test {
  property?: string
  context?: string
}

export interface Count {
  op: string
  value: number
}

/** Exactly one form: within; from_ago + to_ago; after and/or before. None is all time. */
export interface Window {
  within?: string
  from_ago?: string
  to_ago?: string
  after?: string
  before?: string
}

export interface TraitCond extends Test {
  path: string
}

export interface PerformedCond {
  event: string
  where?: Filter[]
  count?: Count
  window?: Window
}

export interface EdgeCond {
  event: string
  where?: Filter[]
  has?: Filter[]
  time?: Test
}

export interface Step {
  event: string
  where?: Filter[]
  not?: boolean
}

export interface SequenceCond {
  steps: Step[]
  within?: string
}

export interface AggregateCond extends Test {
  fn: string
  event: string
  property?: string
  where?: Filter[]
  window?: Window
}

export interface InSegmentCond {
  match: string
  ids: string[]
}

export interface MessageCond {
  event: string
  channel?: string
  template?: string
  journey?: string
  count?: Count
  window?: Window
}

export interface SubscriptionCond {
  group: string
  state: string
}

export interface RandomBucketCond {
  percent: number
  salt?: string
}

export interface ChannelCond {
  channels?: string[]
  sources?: string[]
  window?: Window
}

/** A condition node: an object with exactly one key naming its kind. */
export type SegNode =
  | { and: SegNode[] }
  | { or: SegNode[] }
  | { not: SegNode }
  | { everyone: true }
  | { trait: TraitCond }
  | { performed: PerformedCond }
  | { first_performed: EdgeCond }
  | { last_performed: EdgeCond }
  | { sequence: SequenceCond }
  | { aggregate: AggregateCond }
  | { in_segment: InSegmentCond }
  | { message: MessageCond }
  | { subscription: SubscriptionCond }
  | { random_bucket: RandomBucketCond }
  | { channel: ChannelCond }

export type Kind =
  | 'and'
  | 'or'
  | 'not'
  | 'everyone'
  | 'trait'
  | 'performed'
  | 'first_performed'
  | 'last_performed'
  | 'sequence'
  | 'aggregate'
  | 'in_segment'
  | 'message'
  | 'subscription'
  | 'random_bucket'
  | 'channel'

/** The leaf kinds (everything but and/or/not). */
export type LeafKind = Exclude<Kind, 'and' | 'or' | 'not'>

/** GET /v1/segments/{id}: the latest version, its size when live, the backfill while it runs. */
export interface SegmentDetail extends Segment {
  definition: SegNode
  size?: number
  backfill?: { done: number; total: number; percent: number }
}

/** One version of GET /v1/segments/{id}/versions (oldest first). */
export interface SegmentVersion {
  segment_id: string
  version: number
  definition: SegNode
  text: string
  created_at: string
}

export interface SegmentMember {
  segment_id: string
  profile_id: string
  version: number
  since: string
}

/** GET /v1/segments/{id}/members */
export interface MembersPage {
  segment_id: string
  version: number
  size: number
  members: SegmentMember[]
  /** Pass back as cursor; empty at the end. */
  next_cursor: string
}

export interface HistoryPoint {
  at: string
  size: number
  entered: number
  exited: number
}

/** GET /v1/segments/{id}/history */
export interface SegmentHistory {
  segment_id: string
  version: number
  bucket: 'day' | 'hour' | string
  since: string
  until: string
  size: number
  history: HistoryPoint[]
}

/** POST /v1/segments/preview. text and definition are read when the server sends them (it does not yet). */
export interface PreviewResult {
  evaluated: number
  matched: number
  total_profiles: number
  estimated_size: number
  sample_members: string[]
  at: string
  text?: string
  definition?: SegNode
}

/** The body of create, update and preview: one definition form. */
export type DefinitionForm = { definition: SegNode } | { text: string }

export type SegmentBody = { name: string; description?: string } & DefinitionForm
