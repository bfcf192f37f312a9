import { describe, expect, it } from 'vitest'
import { ApiClient, ApiError } from '../../api'
import { apiError, mockFetch } from '../../test/fetchMock'

describe('ApiClient analytics', () => {
  it('asks for CSV with Accept: text/csv and names the file as the server does', async () => {
    const calls = mockFetch({ 'POST /v1/analytics/funnels': { body: 'step,event' } })
    const api = new ApiClient()
    const file = await api.analysisCsv({ method: 'POST', path: '/v1/analytics/funnels', body: { steps: [] } })
    expect(calls[0]?.headers.Accept).toBe('text/csv')
    expect(calls[0]?.headers.Prefer).toBeUndefined()
    expect(calls[0]?.body).toEqual({ steps: [] })
    expect(file.filename).toBe('funnels.csv')
    expect(await file.blob.text()).toBe('"step,event"')
  })

  it('sends the query of GET analyses, for CSV too', async () => {
    const calls = mockFetch({ 'GET /v1/analytics/stages/report': { body: '' } })
    await new ApiClient().analysisCsv({ method: 'GET', path: '/v1/analytics/stages/report', query: { metric: 'opened' } })
    expect(calls[0]?.url.search).toBe('?metric=opened')
    expect(calls[0]?.headers.Accept).toBe('text/csv')
  })

  it('prefers a background job and tells a 202 job from a result', async () => {
    const calls = mockFetch({
      'POST /v1/analytics/lift': { status: 202, body: { id: 'job_9', status: 'running' } },
      'GET /v1/analytics/stages/flow': { body: { period: 'week' } },
    })
    const api = new ApiClient()
    await expect(api.startAnalysis({ method: 'POST', path: '/v1/analytics/lift', body: {} })).resolves.toEqual({
      job: { id: 'job_9', status: 'running' },
    })
    await expect(api.startAnalysis({ method: 'GET', path: '/v1/analytics/stages/flow' })).resolves.toEqual({
      result: { period: 'week' },
    })
    expect(calls.map((c) => c.headers.Prefer)).toEqual(['respond-async, wait=2', 'respond-async, wait=2'])
    expect(calls[0]?.headers.Accept).toBe('application/json')
  })

  it('turns refusals into ApiErrors with the field', async () => {
    mockFetch({ 'POST /v1/analytics/clv': apiError(400, 'bad_request', 'horizon_weeks must be in (0, 520]', 'horizon_weeks') })
    const err = await new ApiClient()
      .startAnalysis({ method: 'POST', path: '/v1/analytics/clv', body: {} })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).field).toBe('horizon_weeks')
  })
})
