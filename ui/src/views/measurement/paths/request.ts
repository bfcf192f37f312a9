import type { AnalysisCall } from '../../../api'
import { compact, numberOr } from '../requestParts'

export interface PathsForm {
  anchor: 'from' | 'to'
  event: string
  depth: string
  level: 'event' | 'channel'
  top: string
}

export const PATHS_DEFAULTS: PathsForm = { anchor: 'from', event: 'Signed Up', depth: '4', level: 'event', top: '10' }

/** POST /v1/analytics/paths: {"from"|"to", depth, top, level}. */
export function pathsCall(f: PathsForm): AnalysisCall {
  return {
    method: 'POST',
    path: '/v1/analytics/paths',
    body: compact({ [f.anchor]: f.event.trim(), depth: numberOr(f.depth), top: numberOr(f.top), level: f.level }),
  }
}

export const PATHS_FIELDS = ['from', 'to', 'depth', 'top', 'level']
