import { useMemo } from 'react'
import type { ApiClient } from '../../api'
import { useLoad } from '../../useLoad'
import type { Refs } from './forms/formTypes'
import { journeyReportNodes, journeyStats, listChannels, listSubscriptionGroups, listTemplates } from './journeysApi'
import { nodeCounts, type NodeCounts } from './overlay'
import type { JourneyDefinition } from './types'

const none = <T,>(p: Promise<T[]>): Promise<T[]> => p.catch(() => [])

/** What the forms pick from; a list the API refuses stays empty (the field then takes the current value only). */
export function useRefs(api: ApiClient, def: JourneyDefinition | undefined): Refs {
  const templates = useLoad((s) => none(listTemplates(api, s)), [api])
  const groups = useLoad((s) => none(listSubscriptionGroups(api, s)), [api])
  const channels = useLoad((s) => none(listChannels(api, s)), [api])
  const segments = useLoad((s) => none(api.segments(s)), [api])
  const journeys = useLoad((s) => none(api.journeys(s)), [api])
  const nodeIds = useMemo(() => def?.nodes.map((n) => n.id) ?? [], [def])
  return useMemo(
    () => ({
      templates: templates.data ?? [],
      groups: groups.data ?? [],
      channels: channels.data ?? [],
      segments: segments.data ?? [],
      journeys: journeys.data ?? [],
      nodeIds,
      journeyId: def?.id ?? '',
    }),
    [templates.data, groups.data, channels.data, segments.data, journeys.data, nodeIds, def?.id],
  )
}

export interface Overlay {
  counts: Map<string, NodeCounts>
  error: string | undefined
}

const EMPTY = new Map<string, NodeCounts>()

/**
 * The live numbers of a published journey: the stats every 15 s (who is
 * where, sends), the report once (entered and converted per step).
 */
export function useOverlay(api: ApiClient, id: string, published: boolean, version: number | undefined): Overlay {
  const stats = useLoad((s) => (published ? journeyStats(api, id, s) : Promise.resolve(undefined)), [api, id, published, version], 15000)
  const report = useLoad((s) => (published ? journeyReportNodes(api, id, s) : Promise.resolve(undefined)), [api, id, published, version])
  const counts = useMemo(() => (published ? nodeCounts(stats.data, report.data) : EMPTY), [published, stats.data, report.data])
  return { counts, error: stats.error }
}
