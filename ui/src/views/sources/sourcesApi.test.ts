import { describe, expect, it } from 'vitest'
import { ApiClient } from '../../api'
import { mockFetch } from '../../test/fetchMock'

describe('ApiClient sources and write keys', () => {
  it('creates, reads and rotates with the CSRF token on writes', async () => {
    const calls = mockFetch({
      'POST /v1/console/session': { body: { csrf: 'c1', expires_at: '' } },
      'POST /v1/sources': { status: 201, body: { id: 's1' } },
      'GET /v1/sources/s 1': { body: { id: 's 1' } },
      'POST /v1/sources/s1/keys': { status: 201, body: { key: 'k2' } },
      'DELETE /v1/sources/s1/keys/k/1': { status: 204 },
    })
    const api = new ApiClient()
    await api.signIn('t')
    await api.createSource({ name: 'n', channel: 'web', party: 'first' })
    await api.source('s 1')
    expect(await api.addWriteKey('s1')).toEqual({ key: 'k2' })
    await api.revokeWriteKey('s1', 'k/1')

    const [, create, get, add, revoke] = calls
    expect(create?.body).toEqual({ name: 'n', channel: 'web', party: 'first' })
    expect(create?.headers['X-CSRF-Token']).toBe('c1')
    expect(get?.url.pathname).toBe('/v1/sources/s%201')
    expect(add?.method).toBe('POST')
    expect(add?.headers['X-CSRF-Token']).toBe('c1')
    expect(revoke?.method).toBe('DELETE')
    expect(revoke?.url.pathname).toBe('/v1/sources/s1/keys/k%2F1')
    expect(revoke?.headers['X-CSRF-Token']).toBe('c1')
  })

  it('builds the debugger stream URL for one source or all', () => {
    expect(new ApiClient().debuggerEventsURL()).toBe('/v1/debugger/events')
    expect(new ApiClient().debuggerEventsURL('src 1')).toBe('/v1/debugger/events?source=src+1')
    expect(new ApiClient('http://h').debuggerEventsURL('s')).toBe('http://h/v1/debugger/events?source=s')
  })
})
