import { act, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { ApiClient, ApiError } from '../../api'
import { ConsoleProvider } from '../../session'
import { apiError, mockFetch } from '../../test/fetchMock'
import { useAnalysis } from './useAnalysis'

const call = { method: 'POST' as const, path: '/v1/analytics/funnels', body: { steps: [{ event: 'A' }] } }
const job = (status: string, fraction: number) => ({
  id: 'job_1',
  method: 'POST',
  path: '/v1/analytics/funnels',
  status,
  progress: { profiles_read: fraction * 1000, profiles_total: 1000, fraction },
  created_at: '2026-01-01T00:00:00Z',
})

function setup() {
  const api = new ApiClient()
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ConsoleProvider value={{ api, role: 'admin', signOut: async () => {} }}>{children}</ConsoleProvider>
  )
  return renderHook(() => useAnalysis<{ entered: number }>([1]), { wrapper })
}

describe('useAnalysis', () => {
  it('starts a job, polls its progress, fetches the result and forgets the job', async () => {
    const polls = [job('running', 0.4), job('succeeded', 1)]
    const calls = mockFetch({
      'POST /v1/analytics/funnels': { status: 202, body: job('running', 0) },
      'GET /v1/analytics/jobs/job_1': () => ({ body: polls.shift() ?? job('succeeded', 1) }),
      'GET /v1/analytics/jobs/job_1/result': { body: { entered: 42 } },
      'DELETE /v1/analytics/jobs/job_1': { status: 204 },
    })
    const { result } = setup()
    let out: unknown
    await act(async () => {
      out = await result.current.run(call)
    })
    expect(out).toEqual({ entered: 42 })
    expect(result.current.phase).toBe('done')
    expect(result.current.result).toEqual({ entered: 42 })
    expect(result.current.job).toBeUndefined()
    expect(calls[0]?.headers.Prefer).toBe('respond-async, wait=2')
    expect(calls[0]?.body).toEqual(call.body)
    await waitFor(() => expect(calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual([
      'POST /v1/analytics/funnels',
      'GET /v1/analytics/jobs/job_1',
      'GET /v1/analytics/jobs/job_1',
      'GET /v1/analytics/jobs/job_1/result',
      'DELETE /v1/analytics/jobs/job_1',
    ]))
  })

  it('shows the progress while the job runs, and Cancel sends DELETE', async () => {
    const calls = mockFetch({
      'POST /v1/analytics/funnels': { status: 202, body: job('running', 0) },
      'GET /v1/analytics/jobs/job_1': { body: job('running', 0.25) },
      'DELETE /v1/analytics/jobs/job_1': { status: 204 },
    })
    const { result } = setup()
    let done: Promise<unknown> = Promise.resolve()
    act(() => {
      done = result.current.run(call)
    })
    await waitFor(() => expect(result.current.job?.progress.fraction).toBe(0.25))
    expect(result.current.phase).toBe('running')
    await act(async () => {
      await result.current.cancel()
    })
    await expect(done).resolves.toBeUndefined()
    expect(result.current.phase).toBe('cancelled')
    expect(result.current.job).toBeUndefined()
    const del = calls.filter((c) => c.method === 'DELETE')
    expect(del).toHaveLength(1)
    expect(del[0]?.url.pathname).toBe('/v1/analytics/jobs/job_1')
    expect(calls.some((c) => c.url.pathname.endsWith('/result'))).toBe(false)
  })

  it('takes a result the server answered at once', async () => {
    mockFetch({ 'POST /v1/analytics/funnels': { body: { entered: 7 } } })
    const { result } = setup()
    await act(async () => {
      await result.current.run(call)
    })
    expect(result.current.result).toEqual({ entered: 7 })
  })

  it('reports the error of a failed job with its field', async () => {
    mockFetch({
      'POST /v1/analytics/funnels': { status: 202, body: job('running', 0) },
      'GET /v1/analytics/jobs/job_1': { body: { ...job('failed', 0.1), http_status: 400 } },
      'GET /v1/analytics/jobs/job_1/result': apiError(400, 'bad_request', 'window must be a duration', 'window'),
      'DELETE /v1/analytics/jobs/job_1': { status: 204 },
    })
    const { result } = setup()
    await act(async () => {
      await result.current.run(call)
    })
    expect(result.current.phase).toBe('failed')
    expect(result.current.error).toBeInstanceOf(ApiError)
    expect((result.current.error as ApiError).field).toBe('window')
  })

  it('ends as cancelled when someone else cancels the job', async () => {
    mockFetch({
      'POST /v1/analytics/funnels': { status: 202, body: job('running', 0) },
      'GET /v1/analytics/jobs/job_1': { body: job('cancelled', 0.5) },
    })
    const { result } = setup()
    await act(async () => {
      await result.current.run(call)
    })
    expect(result.current.phase).toBe('cancelled')
  })
})
