// The journey routes the canvas editor uses (docs/api.md, "Journeys"), on
// the console's one API client.

import { ApiError, type ApiClient, type Journey } from '../../api'
import type { JourneyDefinition, Problem } from './types'

/** GET /v1/journeys/{id}: the row, its draft, and the live definition once published. */
export interface JourneyRecord extends Journey {
  draft: JourneyDefinition
  live?: JourneyDefinition
  published_at?: string
  unpublished_changes: boolean
}

/** One node of GET /v1/journeys/{id}/stats: customers there now, and its sends by status. */
export interface NodeStats {
  node: string
  kind?: string
  removed?: boolean
  active: number
  queued: number
  sent: number
  failed: number
  skipped: Record<string, number>
}

export interface JourneyStatsFull {
  journey_id: string
  status: string
  live_version: number
  entered: number
  goals: number
  exited: Record<string, number>
  nodes: NodeStats[]
}

/** One node of GET /v1/analytics/journeys/{id}/report (read from the timeline). */
export interface NodeReportCounts {
  node: string
  entered: number
  waiting: number
  sent: number
  converted: number
}

export interface JourneyInstance {
  id: string
  profile_id: string
  version: number
  node: string
  status: string
  key?: string
  entered_at: string
  updated_at: string
}

export interface InstancePage {
  instances: JourneyInstance[]
  next_cursor: string
}

export interface PublishResult {
  journey_id: string
  version: number
  previous_version?: number
  unchanged?: boolean
  /** How many instances of older versions moved (publish with migrate). */
  migrated?: number
}

export interface Template {
  id: string
  name: string
  channel: string
}

export interface SubscriptionGroup {
  id: string
  name?: string
  channel: string
}

export type StatusAction = 'pause' | 'resume' | 'stop'

const at = (id: string, rest = '') => `/v1/journeys/${encodeURIComponent(id)}${rest}`

export function getJourney(api: ApiClient, id: string, signal?: AbortSignal): Promise<JourneyRecord> {
  return api.request(at(id), { signal })
}

export function createJourney(api: ApiClient, definition: JourneyDefinition): Promise<JourneyRecord> {
  return api.request('/v1/journeys', { method: 'POST', body: { definition } })
}

/** Replaces the draft (PUT); the answer holds the draft as the server stored it. */
export function saveDraft(api: ApiClient, definition: JourneyDefinition): Promise<JourneyRecord> {
  return api.request(at(definition.id), { method: 'PUT', body: { definition } })
}

/** Validates the saved draft with every reference: [] when valid, else its problems. */
export async function validateJourney(api: ApiClient, id: string): Promise<Problem[]> {
  try {
    await api.request(at(id, '/validate'), { method: 'POST' })
    return []
  } catch (err) {
    if (err instanceof ApiError && err.problems?.length) return err.problems
    throw err
  }
}

/** Publishes the saved draft; migrate moves the customers at old steps ({"old id": "new id"}) onto the new version. */
export function publishJourney(api: ApiClient, id: string, migrate?: Record<string, string>): Promise<PublishResult> {
  const body = migrate && Object.keys(migrate).length ? { migrate } : undefined
  return api.request(at(id, '/publish'), { method: 'POST', body })
}

export function changeStatus(api: ApiClient, id: string, action: StatusAction): Promise<{ status: string }> {
  return api.request(at(id, `/${action}`), { method: 'POST' })
}

export function journeyStats(api: ApiClient, id: string, signal?: AbortSignal): Promise<JourneyStatsFull> {
  return api.request(at(id, '/stats'), { signal })
}

/** The journey report's per-node counts (computed from the timeline, answered at once without Prefer: respond-async). */
export async function journeyReportNodes(api: ApiClient, id: string, signal?: AbortSignal): Promise<NodeReportCounts[]> {
  const r = await api.request<{ nodes?: NodeReportCounts[] }>(`/v1/analytics/journeys/${encodeURIComponent(id)}/report`, { signal })
  return r.nodes ?? []
}

/** The customers waiting at a node (active instances there), a page at a time. */
export function waitingAt(api: ApiClient, id: string, node: string, cursor = '', signal?: AbortSignal): Promise<InstancePage> {
  return api.request(at(id, '/instances'), { query: { status: 'active', node, cursor, limit: 20 }, signal })
}

/** One row of a messaging config list: {kind, id, body, updated_at}, the object itself in body. */
interface ConfigRow<T> {
  id: string
  body?: T
}

async function configList<T extends { id: string }>(api: ApiClient, path: string, key: string, signal?: AbortSignal): Promise<T[]> {
  const r = await api.request<Record<string, Array<ConfigRow<T>> | undefined>>(path, { signal })
  return (r[key] ?? []).map((row) => ({ ...(row.body ?? (row as unknown as T)), id: row.id }))
}

export function listTemplates(api: ApiClient, signal?: AbortSignal): Promise<Template[]> {
  return configList(api, '/v1/templates', 'templates', signal)
}

export function listSubscriptionGroups(api: ApiClient, signal?: AbortSignal): Promise<SubscriptionGroup[]> {
  return configList(api, '/v1/subscription-groups', 'subscription_groups', signal)
}

export interface Channel {
  id: string
  type: string
}

export function listChannels(api: ApiClient, signal?: AbortSignal): Promise<Channel[]> {
  return configList(api, '/v1/channels', 'channels', signal)
}

/** A segment-language condition in both forms, as POST /v1/segments/preview answers them. */
export interface ConditionForms {
  text: string
  definition: unknown
}

/**
 * Converts a condition between its text and JSON forms with the segment
 * preview (on one profile, so it stays cheap): send text or definition.
 * A text syntax error is an ApiError with field "text" naming line and column.
 */
export function conditionForms(api: ApiClient, body: { text: string } | { definition: unknown }, signal?: AbortSignal): Promise<ConditionForms> {
  return api.request('/v1/segments/preview', { method: 'POST', query: { sample: 1 }, body, signal })
}

/** One published version of GET /v1/journeys/{id}/versions: immutable once published. */
export interface JourneyVersion {
  version: number
  definition: JourneyDefinition
  published_at: string
}

/** Every published version, oldest first, and the live one. */
export function journeyVersions(
  api: ApiClient,
  id: string,
  signal?: AbortSignal,
): Promise<{ versions: JourneyVersion[]; live_version: number }> {
  return api.request(at(id, '/versions'), { signal })
}
