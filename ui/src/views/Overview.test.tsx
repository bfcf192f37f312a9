import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { apiError, mockFetch } from '../test/fetchMock'
import { renderView } from '../test/render'
import { Overview } from './Overview'

const zeroStats = {
  received: 0, stored: 0, duplicates: 0, rejected: 0, head: 0, processed: 0, profiles: 0, lag_events: 0, lag_seconds: 0,
}

function panel(name: string) {
  return screen.getByRole('region', { name })
}

describe('Overview', () => {
  it('tells a new user what to do next in every panel', async () => {
    mockFetch({
      'GET /v1/stats': { body: zeroStats },
      'GET /v1/journeys': { body: { journeys: [] } },
      'GET /v1/segments': { body: { segments: [] } },
      'GET /v1/rejections': { body: { rejections: [] } },
      'GET /v1/sources': { body: { sources: [] } },
      'GET /v1/stats/series': { body: { start: '2026-11-01T10:00:00Z', minutes: 60, sources: [] } },
      'GET /v1/stages/report': apiError(404, 'not_found', 'no stage model'),
    })
    renderView(<Overview />)

    expect(await screen.findByText('No events yet')).toBeInTheDocument()
    const events = panel('Events and profiles')
    expect(within(events).getByRole('link', { name: 'Sources' })).toHaveAttribute('href', '/sources')
    expect(within(events).getByText(/point an SDK at this server/i)).toBeInTheDocument()

    expect(await within(panel('Journeys')).findByText('No journeys yet')).toBeInTheDocument()
    expect(within(panel('Journeys')).getByText('cairn journeys create -f journey.yaml')).toBeInTheDocument()
    expect(await within(panel('Segments')).findByText('No segments yet')).toBeInTheDocument()
    expect(await within(panel('Recent rejections')).findByText('No rejected events')).toBeInTheDocument()
    expect(await within(panel('Events per minute')).findByText('No events in the last hour')).toBeInTheDocument()
    expect(await within(panel('Lifecycle stages')).findByText('No stage model')).toBeInTheDocument()
    expect(screen.getByRole('heading', { level: 1, name: 'Overview' })).toBeInTheDocument()
  })

  it('shows the counters, journeys, segments and rejections when there are some', async () => {
    const calls = mockFetch({
      'GET /v1/stats': {
        body: { ...zeroStats, received: 1200, stored: 1190, duplicates: 10, rejected: 2, head: 1190, processed: 1100, profiles: 42, lag_events: 90, lag_seconds: 3 },
      },
      'GET /v1/journeys': {
        body: {
          journeys: [
            { id: 'j2', name: 'Win-back', status: 'draft', created_at: '', updated_at: '' },
            { id: 'j1', name: 'Welcome series', status: 'live', live_version: 1, created_at: '', updated_at: '' },
          ],
        },
      },
      'GET /v1/journeys/j1/stats': { body: { journey_id: 'j1', status: 'live', live_version: 1, entered: 314, goals: 27, exited: {} } },
      'GET /v1/segments': {
        body: { segments: [{ id: 's1', name: 'Recent buyers', version: 1, text: '', created_at: '', updated_at: '', status: 'live' }] },
      },
      'GET /v1/rejections': {
        body: {
          rejections: [
            { id: 7, source_id: 'src_web', reason: 'missing_identifier', detail: 'the event has neither userId nor anonymousId', field: 'batch[3]', excerpt: '{}', received_at: '2026-11-01T10:00:00Z' },
          ],
        },
      },
      'GET /v1/sources': { body: { sources: [{ id: 'src_web', name: 'nto-web', channel: 'web', party: 'first', created_at: '' }] } },
    })
    renderView(<Overview />)

    const events = panel('Events and profiles')
    expect(await within(events).findByText('Events received')).toBeInTheDocument()
    expect(within(events).getByText((1200).toLocaleString())).toBeInTheDocument()
    expect(within(events).getByText('90 events')).toBeInTheDocument()
    expect(within(events).getByText('3 s behind')).toBeInTheDocument()

    const journeys = panel('Journeys')
    const rows = await within(journeys).findAllByRole('row')
    expect(rows[1]).toHaveTextContent('Welcome series') // live first
    expect(rows[2]).toHaveTextContent('Win-back')
    expect(await within(journeys).findByText('314')).toBeInTheDocument()
    expect(within(journeys).getByRole('rowheader', { name: 'Welcome series' })).toBeInTheDocument()

    expect(await within(panel('Segments')).findByRole('rowheader', { name: 'Recent buyers' })).toBeInTheDocument()
    const rejections = panel('Recent rejections')
    expect(await within(rejections).findByText('missing_identifier')).toBeInTheDocument()
    expect(await within(rejections).findByText('nto-web')).toBeInTheDocument()
    expect(calls.find((c) => c.url.pathname === '/v1/rejections')?.url.searchParams.get('limit')).toBe('10')
  })

  it('shows an API error in the panel it concerns, with a retry', async () => {
    mockFetch({
      'GET /v1/stats': { body: zeroStats },
      'GET /v1/journeys': apiError(503, 'journeys_unavailable', 'the journey engine is not running'),
      'GET /v1/segments': { body: { segments: [] } },
      'GET /v1/rejections': { body: { rejections: [] } },
      'GET /v1/sources': { body: { sources: [] } },
    })
    renderView(<Overview />)
    const alert = await within(panel('Journeys')).findByRole('alert')
    expect(alert).toHaveTextContent('the journey engine is not running')
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument()
    expect(await within(panel('Segments')).findByText('No segments yet')).toBeInTheDocument()
  })
})
