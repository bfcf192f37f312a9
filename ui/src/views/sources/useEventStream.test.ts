import { act, renderHook } from '@testing-library/react'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeEventSource } from './fakeEventSource'
import { useEventStream } from './useEventStream'

beforeEach(() => {
  FakeEventSource.instances = []
})

describe('useEventStream', () => {
  it('opens the stream, reports its state and passes on the named events', () => {
    const onMessage = vi.fn()
    const { result, unmount } = renderHook(() =>
      useEventStream('/v1/debugger/events?source=src_1', ['accepted', 'dropped'], onMessage, FakeEventSource),
    )
    const es = FakeEventSource.last
    expect(es.url).toBe('/v1/debugger/events?source=src_1')
    expect(result.current.state).toBe('connecting')

    act(() => es.open())
    expect(result.current.state).toBe('live')

    act(() => es.emit('accepted', { a: 1 }))
    act(() => es.emit('message', 'not listened to'))
    expect(onMessage).toHaveBeenCalledTimes(1)
    expect(onMessage).toHaveBeenCalledWith('accepted', '{"a":1}')

    act(() => es.fail())
    expect(result.current.state).toBe('reconnecting')
    act(() => es.open())
    expect(result.current.state).toBe('live')

    unmount()
    expect(es.closed).toBe(true)
  })

  it('says when the browser gave up, and reconnect opens a new stream', () => {
    const { result } = renderHook(() => useEventStream('/s', ['accepted'], () => {}, FakeEventSource))
    const first = FakeEventSource.last
    act(() => first.fail(true))
    expect(result.current.state).toBe('closed')

    act(() => result.current.reconnect())
    expect(first.closed).toBe(true)
    expect(FakeEventSource.instances).toHaveLength(2)
    expect(result.current.state).toBe('connecting')
    act(() => FakeEventSource.last.open())
    expect(result.current.state).toBe('live')
  })

  it('uses the global EventSource by default, and says so when there is none', () => {
    vi.stubGlobal('EventSource', FakeEventSource)
    renderHook(() => useEventStream('/a', ['accepted'], () => {}))
    expect(FakeEventSource.last.url).toBe('/a')

    vi.stubGlobal('EventSource', undefined)
    const { result } = renderHook(() => useEventStream('/b', ['accepted'], () => {}))
    expect(result.current.state).toBe('unsupported')
    expect(FakeEventSource.instances).toHaveLength(1)
  })

  it('opens nothing without a url', () => {
    renderHook(() => useEventStream(null, ['accepted'], () => {}, FakeEventSource))
    expect(FakeEventSource.instances).toHaveLength(0)
  })
})
