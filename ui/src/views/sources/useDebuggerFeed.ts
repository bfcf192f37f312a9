import { useReducer } from 'react'
import { useApi } from '../../session'
import { EMPTY_FEED, feedReducer, parseStreamMessage, STREAM_EVENTS, type Feed } from './feed'
import { useEventStream, type EventSourceClass, type StreamState } from './useEventStream'

export interface DebuggerFeed extends Feed {
  state: StreamState
  reconnect: () => void
  pause: () => void
  resume: () => void
  clear: () => void
}

/** The live debugger's rows for one source (or every source), from GET /v1/debugger/events. */
export function useDebuggerFeed(sourceId?: string, source?: EventSourceClass): DebuggerFeed {
  const api = useApi()
  const [feed, dispatch] = useReducer(feedReducer, EMPTY_FEED)
  const { state, reconnect } = useEventStream(
    api.debuggerEventsURL(sourceId),
    STREAM_EVENTS,
    (name, data) => {
      const action = parseStreamMessage(name, data)
      if (action) dispatch(action)
    },
    source,
  )
  return {
    ...feed,
    state,
    reconnect,
    pause: () => dispatch({ type: 'pause' }),
    resume: () => dispatch({ type: 'resume' }),
    clear: () => dispatch({ type: 'clear' }),
  }
}
