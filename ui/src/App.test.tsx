import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { describe, expect, it } from 'vitest'
import { ApiClient } from './api'
import { App } from './App'
import { apiError, mockFetch, type Handler } from './test/fetchMock'

const session = { csrf: 'csrf-1', expires_at: '2026-12-01T00:00:00Z' }
const empty: Record<string, Handler> = {
  'GET /v1/stats': {
    body: { received: 0, stored: 0, duplicates: 0, rejected: 0, head: 0, processed: 0, profiles: 0, lag_events: 0, lag_seconds: 0 },
  },
  'GET /v1/journeys': { body: { journeys: [] } },
  'GET /v1/segments': { body: { segments: [] } },
  'GET /v1/rejections': { body: { rejections: [] } },
  'GET /v1/sources': { body: { sources: [] } },
}

function renderApp(path = '/') {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <App client={new ApiClient()} />
    </MemoryRouter>,
  )
}

describe('App', () => {
  it('asks for the token when there is no session, then opens the console', async () => {
    let signedIn = false
    mockFetch({
      ...empty,
      'GET /v1/console/session': () => (signedIn ? { body: session } : apiError(401, 'unauthorized', 'no session')),
      'POST /v1/console/session': () => {
        signedIn = true
        return { body: session }
      },
    })
    renderApp()
    await userEvent.type(await screen.findByLabelText('Admin token'), 'tok{Enter}')

    const nav = await screen.findByRole('navigation', { name: 'Console' })
    const links = within(nav).getAllByRole('link').map((a) => a.textContent)
    expect(links).toEqual(['Overview', 'Profiles', 'Sources', 'Segments', 'Journeys', 'Templates', 'Measurement', 'Journey map', 'Service desk'])
    expect(within(nav).getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page')
    expect(await screen.findByRole('heading', { level: 1, name: 'Overview' })).toBeInTheDocument()
  })

  it('shows the sign-in view with a notice when a call answers 401', async () => {
    mockFetch({
      ...empty,
      'GET /v1/console/session': { body: session },
      'GET /v1/profiles': apiError(401, 'unauthorized', 'session expired'),
    })
    renderApp('/profiles')
    expect(await screen.findByLabelText('Admin token')).toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent('Your session has ended. Sign in again to continue.')
  })

  it('signs out with the CSRF token', async () => {
    const calls = mockFetch({
      ...empty,
      'GET /v1/console/session': { body: session },
      'DELETE /v1/console/session': { status: 204 },
    })
    renderApp()
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }))
    expect(await screen.findByText('You are signed out.')).toBeInTheDocument()
    const del = calls.find((c) => c.method === 'DELETE')
    expect(del?.headers['X-CSRF-Token']).toBe('csrf-1')
  })

  it('routes every section of the nav to its view', async () => {
    mockFetch({ ...empty, 'GET /v1/console/session': { body: session } })
    renderApp('/segments')
    expect(await screen.findByRole('heading', { level: 1, name: 'Segments' })).toBeInTheDocument()
  })

  it('says so when the server cannot be reached', async () => {
    mockFetch({ 'GET /v1/console/session': { status: 502, body: 'bad gateway' } })
    renderApp()
    expect(await screen.findByRole('alert')).toHaveTextContent('HTTP 502')
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument()
  })
})
