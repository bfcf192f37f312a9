import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { mockFetch } from '../../test/fetchMock'
import { renderView } from '../../test/render'
import { ServiceDesk } from '../ServiceDesk'
import { interests, ordersOf } from './agent'
import { openTasks } from './agentApi'

const ev = (event: string, at: string, properties: Record<string, unknown>) => ({
  seq: 1, type: 'track', event, timestamp: at, source_id: 'src', channel: 'web', payload: { event, properties },
})

const events = [
  ev('Order Completed', '2026-10-05T10:00:00Z', { order_id: 'o-2', revenue: 120.5, products: [{ name: 'Tent' }, { sku: 'stove-1' }] }),
  ev('Product Viewed', '2026-10-04T10:00:00Z', { category: 'camping' }),
  ev('Product Added', '2026-10-04T10:01:00Z', { category: 'camping' }),
  ev('Product Viewed', '2026-10-03T10:00:00Z', { category: 'footwear' }),
  ev('Order Completed', '2026-09-01T10:00:00Z', { order_id: 'o-1', total: 30 }),
]

describe('service desk helpers', () => {
  it('reads orders from Order Completed events', () => {
    expect(ordersOf(events)).toEqual([
      { at: '2026-10-05T10:00:00Z', id: 'o-2', revenue: 120.5, channel: 'web', items: ['Tent', 'stove-1'] },
      { at: '2026-09-01T10:00:00Z', id: 'o-1', revenue: 30, channel: 'web', items: [] },
    ])
  })

  it('ranks recent product interest by category', () => {
    expect(interests(events)).toEqual([{ category: 'camping', count: 2 }, { category: 'footwear', count: 1 }])
  })

  it('keeps task sends that are not completed, with who claimed them', () => {
    const base = { channel: 'task', status: 'sent', created_at: '2026-10-01T10:00:00Z' }
    expect(
      openTasks([
        { ...base, key: 'a', engagements: [] },
        { ...base, key: 'b', engagements: [{ type: 'claimed', at: '', data: 'sam' }] },
        { ...base, key: 'c', engagements: [{ type: 'claimed', at: '', data: 'sam' }, { type: 'completed', at: '', data: 'offer' }] },
        { ...base, key: 'd', channel: 'email', engagements: [] },
      ]),
    ).toEqual([
      { key: 'a', journey_id: undefined, created_at: base.created_at, claimed_by: undefined },
      { key: 'b', journey_id: undefined, created_at: base.created_at, claimed_by: 'sam' },
    ])
  })
})

describe('ServiceDesk', () => {
  it('finds the caller by phone and shows value, interest, tasks and orders', async () => {
    const calls = mockFetch({
      'GET /v1/profiles/phone:+13035550142': {
        body: {
          id: 'p1', traits: { first_name: 'Pia', last_name: 'Larsen', lifetime_revenue: 150.5, lifecycle_stage: 'retention' }, trait_meta: {},
          identities: [{ type: 'phone', value: '+13035550142', first_seen: '', last_seen: '' }], sources: [], channels: [], accounts: [],
          first_seen: '', last_seen: '', event_count: 5, merged_from: [],
        },
      },
      'GET /v1/profiles/p1/events': { body: { profile_id: 'p1', events, next_cursor: '' } },
      'GET /v1/profiles/p1/messages': { body: { profile_id: 'p1', messages: [{ key: 't1', channel: 'task', status: 'sent', journey_id: 'win-back', created_at: '2026-10-06T10:00:00Z', engagements: [] }] } },
    })
    renderView(<ServiceDesk />)
    await userEvent.type(screen.getByLabelText('Caller’s phone or email'), '+13035550142')
    await userEvent.click(screen.getByRole('button', { name: 'Find' }))
    expect(await screen.findByRole('heading', { level: 2, name: 'Pia Larsen' })).toBeInTheDocument()
    expect(screen.getByText('retention')).toBeInTheDocument()
    expect(screen.getByText('150.5')).toBeInTheDocument()
    expect(await screen.findByText('camping')).toBeInTheDocument()
    expect(await screen.findByText(/win-back/)).toBeInTheDocument()
    expect(await screen.findByText('o-2')).toBeInTheDocument()
    expect(decodeURIComponent(calls[0]?.url.pathname ?? '')).toBe('/v1/profiles/phone:+13035550142')
  })

  it('asks for a phone or email when given a name', async () => {
    mockFetch({})
    renderView(<ServiceDesk />)
    await userEvent.type(screen.getByLabelText('Caller’s phone or email'), 'Pia Larsen')
    await userEvent.click(screen.getByRole('button', { name: 'Find' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(/not by name/)
  })
})
