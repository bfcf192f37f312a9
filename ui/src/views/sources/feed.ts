// The live debugger's list: a pure reducer over what the stream sends.

import type { DebuggerEvent } from '../../api'

/** The most rows the debugger keeps; older ones fall off the end. */
export const MAX_ROWS = 200

export const STREAM_EVENTS = ['accepted', 'duplicate', 'rejected', 'dropped'] as const

export interface FeedRow {
  /** A local sequence number, the row's key. */
  id: number
  event: DebuggerEvent
}

export interface Feed {
  /** Newest first, at most MAX_ROWS. */
  rows: FeedRow[]
  nextId: number
  paused: boolean
  /** Events that arrived while paused (not added). */
  missed: number
  /** Events the server skipped because this browser fell behind. */
  dropped: number
}

export type FeedAction =
  | { type: 'event'; event: DebuggerEvent }
  | { type: 'dropped'; count: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'clear' }

export const EMPTY_FEED: Feed = { rows: [], nextId: 1, paused: false, missed: 0, dropped: 0 }

export function feedReducer(f: Feed, a: FeedAction): Feed {
  switch (a.type) {
    case 'event':
      if (f.paused) return { ...f, missed: f.missed + 1 }
      return { ...f, rows: [{ id: f.nextId, event: a.event }, ...f.rows].slice(0, MAX_ROWS), nextId: f.nextId + 1 }
    case 'dropped':
      return { ...f, dropped: f.dropped + a.count }
    case 'pause':
      return { ...f, paused: true, missed: 0 }
    case 'resume':
      return { ...f, paused: false }
    case 'clear':
      return { ...f, rows: [], missed: 0, dropped: 0 }
  }
}

/** Turns one stream message into an action; null for data that is not what the server promises. */
export function parseStreamMessage(name: string, data: string): FeedAction | null {
  let v: unknown
  try {
    v = JSON.parse(data)
  } catch {
    return null
  }
  if (typeof v !== 'object' || v === null) return null
  const o = v as Record<string, unknown>
  if (name === 'dropped') {
    return typeof o.count === 'number' && o.count > 0 ? { type: 'dropped', count: o.count } : null
  }
  if (name !== 'accepted' && name !== 'duplicate' && name !== 'rejected') return null
  if (typeof o.source_id !== 'string' || typeof o.received_at !== 'string') return null
  // The event name is authoritative for the kind.
  return { type: 'event', event: { ...o, kind: name } as DebuggerEvent }
}
