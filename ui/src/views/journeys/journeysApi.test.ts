import { describe, expect, it } from 'vitest'
import { ApiClient } from '../../api'
import { mockFetch } from '../../test/fetchMock'
import { listChannels, listTemplates, saveDraft, validateJourney, waitingAt } from './journeysApi'
import { welcome } from './fixtures'

describe('journey API calls', () => {
  it('unwraps the messaging config rows into the objects', async () => {
    mockFetch({
      'GET /v1/templates': { body: { templates: [{ kind: 'template', id: 'welcome', body: { id: 'welcome', name: 'Welcome email', channel: 'email' } }] } },
      'GET /v1/channels': { body: { channels: [{ kind: 'channel', id: 'email', body: { id: 'email', type: 'email' } }] } },
    })
    const api = new ApiClient()
    expect(await listTemplates(api)).toEqual([{ id: 'welcome', name: 'Welcome email', channel: 'email' }])
    expect(await listChannels(api)).toEqual([{ id: 'email', type: 'email' }])
  })

  it('answers the problems of a 422, and [] when valid', async () => {
    const problem = { path: 'nodes[0].message.template', node: 'welcome-email', message: 'unknown template "x"' }
    mockFetch({
      'POST /v1/journeys/bad/validate': { status: 422, body: { error: { code: 'journey_invalid', message: '1 problem', problems: [problem] } } },
      'POST /v1/journeys/good/validate': { body: { valid: true } },
    })
    const api = new ApiClient()
    expect(await validateJourney(api, 'bad')).toEqual([problem])
    expect(await validateJourney(api, 'good')).toEqual([])
  })

  it('saves the whole definition with the CSRF token and asks for the customers at a node', async () => {
    const calls = mockFetch({
      'POST /v1/console/session': { body: { csrf: 'c1', expires_at: '' } },
      'PUT /v1/journeys/welcome-series': { body: { id: 'welcome-series' } },
      'GET /v1/journeys/welcome-series/instances': { body: { instances: [], next_cursor: '' } },
    })
    const api = new ApiClient()
    await api.signIn('t')
    await saveDraft(api, welcome())
    await waitingAt(api, 'welcome-series', 'wait-first-order', 'i_9')
    expect(calls[1]?.body).toEqual({ definition: welcome() })
    expect(calls[1]?.headers['X-CSRF-Token']).toBe('c1')
    expect(Object.fromEntries(calls[2]!.url.searchParams)).toEqual({ status: 'active', node: 'wait-first-order', cursor: 'i_9', limit: '20' })
  })
})
