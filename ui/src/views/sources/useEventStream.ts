import { useCallback, useEffect, useRef, useState } from 'react'

/** The part of EventSource the console uses, so tests can inject a fake class. */
export interface EventSourceLike {
  readonly readyState: number
  addEventListener(type: string, listener: (ev: Event) => void): void
  close(): void
}

export type EventSourceClass = new (url: string) => EventSourceLike

/**
 * connecting: the first connection is being opened; live: open; reconnecting:
 * the connection dropped and the browser retries by itself; closed: the browser
 * gave up (an HTTP error, e.g. the session ended) until reconnect() is called;
 * unsupported: no EventSource in this browser.
 */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed' | 'unsupported'

const CLOSED = 2

/**
 * Opens a Server-Sent Events stream at url (none while url is null) and calls
 * onMessage(eventName, data) for each event named in `events`. The browser's
 * EventSource reconnects by itself; reconnect() opens a new one after it gave up.
 * `source` is the EventSource class (a fake in tests); keep it stable.
 */
export function useEventStream(
  url: string | null,
  events: readonly string[],
  onMessage: (event: string, data: string) => void,
  source?: EventSourceClass,
): { state: StreamState; reconnect: () => void } {
  const [state, setState] = useState<StreamState>('connecting')
  const [attempt, setAttempt] = useState(0)
  const handler = useRef(onMessage)
  handler.current = onMessage
  const names = events.join('\n')

  useEffect(() => {
    if (url === null) return
    const Impl = source ?? (globalThis.EventSource as EventSourceClass | undefined)
    if (!Impl) {
      setState('unsupported')
      return
    }
    setState('connecting')
    const es = new Impl(url)
    es.addEventListener('open', () => setState('live'))
    es.addEventListener('error', () => setState(es.readyState === CLOSED ? 'closed' : 'reconnecting'))
    for (const name of names.split('\n')) {
      es.addEventListener(name, (ev) => handler.current(name, String((ev as MessageEvent).data)))
    }
    return () => es.close()
  }, [url, names, source, attempt])

  const reconnect = useCallback(() => setAttempt((a) => a + 1), [])
  return { state, reconnect }
}
