import type { ApiClient } from '../../api'

/** One source's events per minute (GET /v1/stats/series). */
export interface SourceSeries {
  source_id: string
  source_name: string
  channel: string
  counts: number[]
  total: number
}

export interface TrafficSeries {
  start: string
  minutes: number
  sources: SourceSeries[]
}

/** Profiles per lifecycle stage (GET /v1/stages/report). */
export interface StageReport {
  model_version: number
  stages: Array<{ stage: string; profiles: number }>
}

export function trafficSeries(api: ApiClient, minutes: number, signal?: AbortSignal): Promise<TrafficSeries> {
  return api.request<TrafficSeries>('/v1/stats/series', { query: { minutes: String(minutes) }, signal })
}

/** The stage report, or null when no stage model exists (404). */
export async function stageReport(api: ApiClient, signal?: AbortSignal): Promise<StageReport | null> {
  try {
    return await api.request<StageReport>('/v1/stages/report', { signal })
  } catch (err) {
    if ((err as { status?: number }).status === 404) return null
    throw err
  }
}
