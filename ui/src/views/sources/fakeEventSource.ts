// A stand-in for the browser's EventSource in tests (jsdom has none): records
// every instance and lets the test open, fail and feed it.

import type { EventSourceLike } from './useEventStream'

export class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = []

  /** The newest instance (the stream the component opened last). */
  static get last(): FakeEventSource {
    const es = FakeEventSource.instances.at(-1)
    if (!es) throw new Error('no EventSource was opened')
    return es
  }

  readyState = 0
  closed = false
  private readonly listeners = new Map<string, ((ev: Event) => void)[]>()

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this)
  }

  addEventListener(type: string, listener: (ev: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }

  close(): void {
    this.readyState = 2
    this.closed = true
  }

  /** The connection opened. */
  open(): void {
    this.readyState = 1
    this.dispatch(new Event('open'))
  }

  /** The connection failed: the browser retries, or (gaveUp) it closed for good. */
  fail(gaveUp = false): void {
    this.readyState = gaveUp ? 2 : 0
    this.dispatch(new Event('error'))
  }

  /** The server sent `event: type` with data (JSON-encoded unless a string). */
  emit(type: string, data: unknown): void {
    this.dispatch(new MessageEvent(type, { data: typeof data === 'string' ? data : JSON.stringify(data) }))
  }

  private dispatch(ev: Event) {
    for (const fn of this.listeners.get(ev.type) ?? []) fn(ev)
  }
}
