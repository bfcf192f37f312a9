// The Segments routes of the management API (docs/api.md, "Segments"), on the
// console's one client (session cookie, CSRF token on writes, ApiError).

import type { ApiClient, CsvFile } from '../../api'
import type {
  DefinitionForm,
  MembersPage,
  PreviewResult,
  SegmentBody,
  SegmentDetail,
  SegmentHistory,
  SegmentVersion,
} from './types'

const seg = (id: string) => `/v1/segments/${encodeURIComponent(id)}`

export function getSegment(api: ApiClient, id: string, signal?: AbortSignal): Promise<SegmentDetail> {
  return api.request(seg(id), { signal })
}

/** Saves a new segment as version 1. */
export function createSegment(api: ApiClient, body: SegmentBody): Promise<SegmentDetail> {
  return api.request('/v1/segments', { method: 'POST', body })
}

/** Saves a new version; earlier versions never change. */
export function updateSegment(api: ApiClient, id: string, body: SegmentBody): Promise<SegmentDetail> {
  return api.request(seg(id), { method: 'PUT', body })
}

/** Soft delete; 409 while another segment references it through in_segment. */
export function deleteSegment(api: ApiClient, id: string): Promise<void> {
  return api.request(seg(id), { method: 'DELETE' })
}

export async function segmentVersions(api: ApiClient, id: string, signal?: AbortSignal): Promise<SegmentVersion[]> {
  return (await api.request<{ versions: SegmentVersion[] }>(`${seg(id)}/versions`, { signal })).versions
}

/** Evaluates a definition on a sample of profiles without saving it. */
export function previewSegment(api: ApiClient, body: DefinitionForm, signal?: AbortSignal): Promise<PreviewResult> {
  return api.request('/v1/segments/preview', { method: 'POST', body, signal })
}

export function segmentMembers(
  api: ApiClient,
  id: string,
  q: { cursor?: string; limit?: number },
  signal?: AbortSignal,
): Promise<MembersPage> {
  return api.request(`${seg(id)}/members`, { query: q, signal })
}

export function segmentHistory(
  api: ApiClient,
  id: string,
  q: { bucket?: string; since?: string; until?: string },
  signal?: AbortSignal,
): Promise<SegmentHistory> {
  return api.request(`${seg(id)}/history`, { query: q, signal })
}

/** Every member as CSV, fetched with the session and named as the server says. */
export async function segmentMembersCsv(api: ApiClient, id: string, signal?: AbortSignal): Promise<CsvFile> {
  const res = await api.respond(`${seg(id)}/members.csv`, { signal }, { Accept: 'text/csv' })
  const named = /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') ?? '')
  return { blob: await res.blob(), filename: named?.[1] ?? `${id}-members.csv` }
}
