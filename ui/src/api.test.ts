import { describe, expect, it, vi } from 'vitest'
import { ApiClient, ApiError, buildPath, refPath } from './api'
import { apiError, mockFetch } from './test/fetchMock'

const session = { csrf: 'csrf-123', expires_at: '2026-12-01T00:00:00Z' }

describe('ApiClient', () => {
  it('signs in with the token and sends the CSRF token on writes only', async () => {
    const calls = mockFetch({
      'POST /v1/console/session': { body: session },
      'POST /v1/segments': { status: 201, body: { id: 'seg_1' } },
      'GET /v1/stats': { body: { received: 1 } },
    })
    const api = new ApiClient()
    await expect(api.signIn('tok')).resolves.toEqual(session)
    expect(calls[0]?.body).toEqual({ token: 'tok' })
    expect(calls[0]?.init.credentials).toBe('same-origin')
    expect(calls[0]?.headers['Content-Type']).toBe('application/json')

    await api.request('/v1/segments', { method: 'POST', body: { name: 'x', text: 'y' } })
    expect(calls[1]?.headers['X-CSRF-Token']).toBe('csrf-123')
    expect(calls[1]?.init.credentials).toBe('same-origin')

    await api.stats()
    expect(calls[2]?.headers['X-CSRF-Token']).toBeUndefined()
    expect(calls[2]?.init.credentials).toBe('same-origin')
  })

  it('takes the CSRF token from the session check on load', async () => {
    const calls = mockFetch({
      'GET /v1/console/session': { body: session },
      'DELETE /v1/console/session': { status: 204 },
    })
    const api = new ApiClient()
    await expect(api.getSession()).resolves.toEqual(session)
    await api.signOut()
    expect(calls[1]?.method).toBe('DELETE')
    expect(calls[1]?.headers['X-CSRF-Token']).toBe('csrf-123')
    expect(api.csrfToken).toBe('')
  })

  it('reports no session when the check answers 401, without ending anything', async () => {
    mockFetch({ 'GET /v1/console/session': apiError(401, 'unauthorized', 'no session') })
    const api = new ApiClient()
    const ended = vi.fn()
    api.onSessionEnded(ended)
    await expect(api.getSession()).resolves.toBeNull()
    expect(ended).not.toHaveBeenCalled()
  })

  it('ends the session on a 401 from any other call', async () => {
    mockFetch({
      'POST /v1/console/session': { body: session },
      'GET /v1/stats': apiError(401, 'unauthorized', 'this endpoint needs the admin token'),
    })
    const api = new ApiClient()
    await api.signIn('tok')
    const ended = vi.fn()
    api.onSessionEnded(ended)
    const err = await api.stats().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).status).toBe(401)
    expect((err as ApiError).code).toBe('unauthorized')
    expect(ended).toHaveBeenCalledTimes(1)
    expect(api.csrfToken).toBe('')
  })

  it('treats a wrong token at sign-in as an error for the form, not a session end', async () => {
    mockFetch({ 'POST /v1/console/session': apiError(401, 'unauthorized', 'that is not the admin token') })
    const api = new ApiClient()
    const ended = vi.fn()
    api.onSessionEnded(ended)
    await expect(api.signIn('nope')).rejects.toThrow('that is not the admin token')
    expect(ended).not.toHaveBeenCalled()
  })

  it('turns the error envelope into an ApiError with code, message and field', async () => {
    mockFetch({
      'GET /v1/profiles/email:nobody@x.example': apiError(404, 'not_found', 'no profile matches "email:nobody@x.example"'),
      'POST /v1/segments': apiError(400, 'bad_request', 'duration "-3d" must be positive', 'definition.and[2]'),
    })
    const api = new ApiClient()
    const nf = (await api.profile('email:nobody@x.example').catch((e: unknown) => e)) as ApiError
    expect(nf).toBeInstanceOf(ApiError)
    expect(nf.status).toBe(404)
    expect(nf.code).toBe('not_found')
    expect(nf.message).toBe('no profile matches "email:nobody@x.example"')

    const bad = (await api.request('/v1/segments', { method: 'POST', body: {} }).catch((e: unknown) => e)) as ApiError
    expect(bad.code).toBe('bad_request')
    expect(bad.field).toBe('definition.and[2]')
  })

  it('describes an error without an envelope and a server it cannot reach', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' })))
    const api = new ApiClient()
    await expect(api.stats()).rejects.toThrow('The server had a problem (HTTP 502 Bad Gateway)')

    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    const err = (await api.stats().catch((e: unknown) => e)) as ApiError
    expect(err.code).toBe('network')
    expect(err.message).toMatch(/Cannot reach the Cairn server/)
  })

  it('encodes references and queries', () => {
    expect(refPath('phone:+13035550142')).toBe('/v1/profiles/phone%3A%2B13035550142')
    expect(refPath('email:pia@nto.example')).toBe('/v1/profiles/email%3Apia%40nto.example')
    expect(buildPath('/v1/profiles/p_1/events', { type: '', event: 'Order Completed', limit: 50, cursor: undefined })).toBe(
      '/v1/profiles/p_1/events?event=Order+Completed&limit=50',
    )
  })
})
