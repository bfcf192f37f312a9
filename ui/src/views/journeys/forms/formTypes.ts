import type { Journey, Segment } from '../../../api'
import type { Channel, SubscriptionGroup, Template } from '../journeysApi'
import type { Json } from '../types'

/** What the forms offer to pick from (each list may be empty while loading or when the API refused). */
export interface Refs {
  templates: Template[]
  groups: SubscriptionGroup[]
  channels: Channel[]
  segments: Segment[]
  journeys: Journey[]
  /** The ids of the journey's nodes. */
  nodeIds: string[]
  journeyId: string
}

/** A form for one kind's object (node.delay, node.wait, …). */
export interface BodyFormProps {
  body: Json
  /** Sets a field of the body by path ("duration", "branches[0].event.name"); undefined deletes it. */
  set: (path: string, value: unknown) => void
  refs: Refs
}

/** "" means "not set". */
export const opt = (v: string): string | undefined => v || undefined

export const str = (v: unknown): string => (typeof v === 'string' ? v : '')

export const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : [])
