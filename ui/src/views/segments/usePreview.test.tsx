import { act, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiClient, ApiError } from '../../api'
import { ConsoleProvider } from '../../session'
import { apiError, mockFetch } from '../../test/fetchMock'
import type { DefinitionForm } from './types'
import { usePreview } from './usePreview'

const result = { evaluated: 1000, matched: 50, total_profiles: 4000, estimated_size: 200, sample_members: ['p_1'], at: '' }

function setup(first: DefinitionForm | null) {
  const api = new ApiClient()
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ConsoleProvider value={{ api, role: 'admin', signOut: async () => {} }}>{children}</ConsoleProvider>
  )
  return renderHook(({ body }: { body: DefinitionForm | null }) => usePreview(body), { wrapper, initialProps: { body: first } })
}

/** Lets the timers run and the fetch answer. */
async function advance(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms)
  })
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('usePreview', () => {
  it('calls the preview once the definition has rested for 600 ms, with the latest one', async () => {
    const calls = mockFetch({ 'POST /v1/segments/preview': { body: result } })
    const { result: hook, rerender } = setup({ definition: { performed: { event: 'A' } } })
    expect(hook.current.status).toBe('waiting')
    await advance(300)
    rerender({ body: { definition: { performed: { event: 'AB' } } } })
    await advance(300)
    rerender({ body: { definition: { performed: { event: 'ABC' } } } })
    await advance(599)
    expect(calls).toHaveLength(0)
    await advance(1)
    expect(calls).toHaveLength(1)
    expect(calls[0]?.body).toEqual({ definition: { performed: { event: 'ABC' } } })
    expect(hook.current.status).toBe('done')
    expect(hook.current.result).toEqual(result)

    // The same definition again is not previewed again; the text form is sent as text.
    rerender({ body: { definition: { performed: { event: 'ABC' } } } })
    await advance(1000)
    expect(calls).toHaveLength(1)
    rerender({ body: { text: 'everyone' } })
    await advance(600)
    expect(calls[1]?.body).toEqual({ text: 'everyone' })
  })

  it('keeps the last result with the error, and clears everything without a definition', async () => {
    let fail = false
    mockFetch({
      'POST /v1/segments/preview': () =>
        fail ? apiError(400, 'bad_request', 'event must not be empty', 'definition.performed.event') : { body: result },
    })
    const { result: hook, rerender } = setup({ definition: { everyone: true } })
    await advance(600)
    fail = true
    rerender({ body: { definition: { performed: { event: '' } } } })
    await advance(600)
    expect(hook.current.status).toBe('error')
    expect(hook.current.error).toBeInstanceOf(ApiError)
    expect((hook.current.error as ApiError).field).toBe('definition.performed.event')
    expect(hook.current.result).toEqual(result)
    rerender({ body: null })
    expect(hook.current).toEqual({ status: 'idle', result: undefined, error: undefined })
  })

  it('cancels the call in flight when the definition changes', async () => {
    const calls = mockFetch({ 'POST /v1/segments/preview': { body: result } })
    const { rerender } = setup({ definition: { everyone: true } })
    await advance(600)
    const first = calls[0]?.init.signal as AbortSignal
    rerender({ body: { definition: { random_bucket: { percent: 5 } } } })
    expect(first.aborted).toBe(true)
  })
})
