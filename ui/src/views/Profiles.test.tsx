import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Route, Routes } from 'react-router'
import { describe, expect, it } from 'vitest'
import { apiError, mockFetch, type Handler } from '../test/fetchMock'
import { renderView } from '../test/render'
import { ProfileView } from './ProfileView'
import { Profiles } from './Profiles'

const profile = {
  id: 'p_abc',
  traits: { first_name: 'Pia', last_name: 'Larsen', email: 'pia@nto.example', address: { city: 'Denver' }, lifetime_revenue: 420.5 },
  trait_meta: {
    first_name: { time: '2026-10-01T10:00:00Z', source_id: 'src_web' },
    last_name: { time: '2026-10-01T10:00:00Z', source_id: 'src_web' },
    email: { time: '2026-10-01T10:00:00Z', source_id: 'src_web' },
    'address.city': { time: '2026-10-02T10:00:00Z', source_id: 'src_store' },
    lifetime_revenue: { time: '2026-10-03T10:00:00Z', source_id: 'src_cairn', computed: true },
  },
  identities: [
    { type: 'email', value: 'pia@nto.example', first_seen: '2026-10-01T10:00:00Z', last_seen: '2026-10-03T10:00:00Z' },
    { type: 'user_id', value: 'u-123', first_seen: '2026-10-01T10:00:00Z', last_seen: '2026-10-03T10:00:00Z' },
  ],
  sources: ['src_web', 'src_store'],
  channels: ['store', 'web'],
  accounts: [],
  first_seen: '2026-10-01T10:00:00Z',
  last_seen: '2026-10-03T10:00:00Z',
  event_count: 3,
  merged_from: [],
}

function ev(seq: number, event: string) {
  return { seq, type: 'track', event, timestamp: `2026-10-0${seq}T10:00:00Z`, source_id: 'src_web', channel: 'web', payload: { event } }
}

const profileRoutes: Record<string, Handler> = {
  'GET /v1/profiles/p_abc': { body: profile },
  'GET /v1/profiles/p_abc/segments': {
    body: { profile_id: 'p_abc', segments: [{ segment_id: 's1', name: 'Recent buyers', profile_id: 'p_abc', version: 1, since: '2026-10-03T10:00:00Z' }] },
  },
  'GET /v1/profiles/p_abc/journeys': { body: { profile_id: 'p_abc', instances: [] } },
  'GET /v1/sources': {
    body: {
      sources: [
        { id: 'src_web', name: 'nto-web', channel: 'web', party: 'first', created_at: '' },
        { id: 'src_store', name: 'nto-pos', channel: 'store', party: 'first', created_at: '' },
      ],
    },
  },
  'GET /v1/profiles/p_abc/events': (url) =>
    url.searchParams.get('cursor') === 'c2'
      ? { body: { profile_id: 'p_abc', events: [ev(1, 'Product Viewed')], next_cursor: '' } }
      : { body: { profile_id: 'p_abc', events: [ev(3, 'Order Completed'), ev(2, 'Cart Viewed')], next_cursor: 'c2' } },
}

function renderProfiles(path: string) {
  return renderView(
    <Routes>
      <Route path="/profiles" element={<Profiles />} />
      <Route path="/profiles/:ref" element={<ProfileView />} />
    </Routes>,
    { path },
  )
}

describe('Profiles', () => {
  it('lists profiles while the search is empty', async () => {
    const calls = mockFetch({
      'GET /v1/profiles': {
        body: { profiles: [{ id: 'p_abc', first_seen: '', last_seen: '', event_count: 3, sources: [], channels: ['web'] }], next_cursor: '' },
      },
    })
    renderProfiles('/profiles')
    const link = await screen.findByRole('link', { name: 'p_abc' })
    expect(link).toHaveAttribute('href', '/profiles/p_abc')
    expect(calls[0]?.url.searchParams.get('limit')).toBe('20')
    expect(screen.queryByRole('button', { name: 'Next' })).not.toBeInTheDocument()
  })

  it('lists the profiles with a trait value', async () => {
    const calls = mockFetch({
      'GET /v1/profiles': (url) => ({
        body: {
          profiles: url.searchParams.get('trait.address.city') === 'Denver'
            ? [{ id: 'p_den', first_seen: '', last_seen: '', event_count: 2, sources: [], channels: [] }]
            : [{ id: 'p_any', first_seen: '', last_seen: '', event_count: 2, sources: [], channels: [] }],
          next_cursor: '',
        },
      }),
    })
    renderProfiles('/profiles')
    await screen.findByRole('link', { name: 'p_any' })
    await userEvent.type(screen.getByLabelText('Find a profile'), 'address.city = Denver')
    await userEvent.click(screen.getByRole('button', { name: 'Search' }))
    expect(await screen.findByRole('heading', { name: 'Profiles with address.city = Denver' })).toBeInTheDocument()
    expect(await screen.findByRole('link', { name: 'p_den' })).toBeInTheDocument()
    expect(calls.at(-1)?.url.searchParams.get('trait.address.city')).toBe('Denver')
  })

  it('pages through the profiles with the cursor', async () => {
    const row = (id: string) => ({ id, first_seen: '', last_seen: '', event_count: 1, sources: [], channels: [] })
    const calls = mockFetch({
      'GET /v1/profiles': (url) =>
        url.searchParams.get('cursor') === 'p_b'
          ? { body: { profiles: [row('p_c')], next_cursor: '' } }
          : { body: { profiles: [row('p_a'), row('p_b')], next_cursor: 'p_b' } },
    })
    renderProfiles('/profiles')
    await screen.findByRole('link', { name: 'p_a' })
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled()
    await userEvent.click(screen.getByRole('button', { name: 'Next' }))
    expect(await screen.findByRole('link', { name: 'p_c' })).toBeInTheDocument()
    expect(calls.at(-1)?.url.searchParams.get('cursor')).toBe('p_b')
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled()
    await userEvent.click(screen.getByRole('button', { name: 'Previous' }))
    expect(await screen.findByRole('link', { name: 'p_a' })).toBeInTheDocument()
  })

  it('shows the 404 message next to the search for an unknown customer', async () => {
    const calls = mockFetch({
      'GET /v1/profiles': { body: { profiles: [], next_cursor: '' } },
      'GET /v1/profiles/email:nobody@nto.example': apiError(404, 'not_found', 'no profile matches "email:nobody@nto.example"'),
    })
    renderProfiles('/profiles')
    const box = screen.getByRole('searchbox', { name: 'Find a profile' })
    await userEvent.type(box, 'nobody@nto.example{Enter}')
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('no profile matches "email:nobody@nto.example"')
    expect(box).toHaveAccessibleDescription(/no profile matches/)
    expect(calls.at(-1)?.url.pathname).toBe('/v1/profiles/email%3Anobody%40nto.example')
  })

  it('opens the 360° view of a customer found by phone', async () => {
    const calls = mockFetch({ ...profileRoutes, 'GET /v1/profiles/phone:+13035550142': { body: profile } })
    renderProfiles('/profiles')
    await userEvent.type(screen.getByRole('searchbox', { name: 'Find a profile' }), '+13035550142{Enter}')
    expect(await screen.findByRole('heading', { level: 1, name: 'Pia Larsen' })).toBeInTheDocument()
    expect(calls.some((c) => c.url.pathname === '/v1/profiles/phone%3A%2B13035550142')).toBe(true)
  })

  it('shows identities, traits with provenance, segments and the timeline with load more', async () => {
    const calls = mockFetch(profileRoutes)
    renderProfiles('/profiles/p_abc')

    expect(await screen.findByRole('heading', { level: 1, name: 'Pia Larsen' })).toBeInTheDocument()
    const ids = screen.getByRole('region', { name: 'Identities' })
    expect(within(ids).getByRole('rowheader', { name: 'user_id' })).toBeInTheDocument()
    expect(within(ids).getByText('u-123')).toBeInTheDocument()

    const traits = screen.getByRole('region', { name: 'Traits' })
    const city = within(traits).getByRole('rowheader', { name: 'address.city' }).closest('tr') as HTMLElement
    expect(city).toHaveTextContent('Denver')
    expect(await within(city).findByText('nto-pos')).toBeInTheDocument()
    const revenue = within(traits).getByRole('rowheader', { name: 'lifetime_revenue' }).closest('tr') as HTMLElement
    expect(revenue).toHaveTextContent('420.5')
    expect(within(revenue).getByText('computed')).toBeInTheDocument()

    expect(await within(screen.getByRole('region', { name: 'Segments' })).findByText('Recent buyers')).toBeInTheDocument()
    expect(await within(screen.getByRole('region', { name: 'Journeys' })).findByText('Not in any journey')).toBeInTheDocument()

    const timeline = screen.getByRole('region', { name: 'Timeline' })
    expect(await within(timeline).findByText('Order Completed')).toBeInTheDocument()
    expect(within(timeline).getByText('Cart Viewed')).toBeInTheDocument()
    await userEvent.click(within(timeline).getByRole('button', { name: 'Load more' }))
    expect(await within(timeline).findByText('Product Viewed')).toBeInTheDocument()
    expect(within(timeline).queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument()
    const more = calls.filter((c) => c.url.pathname === '/v1/profiles/p_abc/events')
    expect(more.at(-1)?.url.searchParams.get('cursor')).toBe('c2')
    expect(more.at(-1)?.url.searchParams.get('limit')).toBe('50')

    await userEvent.selectOptions(within(timeline).getByLabelText('Type'), 'track')
    await userEvent.type(within(timeline).getByLabelText('Event name'), 'Order Completed')
    await userEvent.click(within(timeline).getByRole('button', { name: 'Apply' }))
    await within(timeline).findByText('Order Completed')
    const filtered = calls.filter((c) => c.url.pathname === '/v1/profiles/p_abc/events').at(-1)
    expect(filtered?.url.searchParams.get('type')).toBe('track')
    expect(filtered?.url.searchParams.get('event')).toBe('Order Completed')
    expect(filtered?.url.searchParams.get('cursor')).toBeNull()
  })

  it('shows the error when the profile in the address does not exist', async () => {
    mockFetch({ 'GET /v1/profiles/p_gone': apiError(404, 'not_found', 'no profile matches "p_gone"') })
    renderProfiles('/profiles/p_gone')
    expect(await screen.findByRole('alert')).toHaveTextContent('no profile matches "p_gone"')
    expect(screen.getByRole('link', { name: 'Search for another profile' })).toHaveAttribute('href', '/profiles')
  })
})
