import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Route, Routes } from 'react-router'
import { describe, expect, it } from 'vitest'
import { mockFetch, type Handler } from '../../test/fetchMock'
import { renderView } from '../../test/render'
import { JourneyMap } from '../JourneyMap'
import { cellSegment, journeysFor, shade, type JourneyMapResult } from './model'

const cell = (customers: number, advanced: number) => ({
  customers,
  events: customers * 2,
  advanced,
  advance_rate: customers ? advanced / customers : 0,
  ci: { low: 0.1, high: 0.9 },
})

const map: JourneyMapResult = {
  window: '30d',
  customers: 120,
  stages: [
    { name: 'awareness', ...cell(100, 40) },
    { name: 'consideration', ...cell(50, 45) },
  ],
  rows: [
    { channel: 'web', touchpoint: 'Product Viewed', customers: 100, events: 300, cells: [cell(90, 30), cell(40, 4)] },
    { channel: 'web', touchpoint: 'Order Completed', customers: 45, events: 45, cells: [cell(0, 0), cell(45, 44)] },
    { channel: 'email', touchpoint: 'Message Sent', customers: 20, events: 20, cells: [cell(20, 2), cell(0, 0)] },
  ],
  omitted_rows: 3,
  transitions: [
    { from: 'awareness', to: 'consideration', customers: 50, forward: true },
    { from: 'consideration', to: 'awareness', customers: 2, forward: false },
  ],
  segments: { consideration: 'seg_cons' },
  journeys: [
    { id: 'abandoned-cart', name: 'Abandoned cart', status: 'live', stages: [], touchpoints: ['Order Completed'], channels: ['email'] },
    { id: 'nurture', name: 'Nurture', status: 'paused', stages: ['consideration'], touchpoints: [], channels: ['sms'] },
  ],
}

const GRID = 'Journey map: touchpoints by lifecycle stage'

function open(routes: Record<string, Handler> = {}) {
  const calls = mockFetch({
    'GET /v1/analytics/journey-map': { body: map },
    'GET /v1/analytics/journey-map/customers': (url) => ({
      body: url.searchParams.get('after')
        ? { total: 2, customers: [{ profile_id: 'p_2', events: 1, first: '2026-10-02T00:00:00Z', last: '2026-10-02T00:00:00Z', advanced: false }] }
        : {
            total: 2,
            next: 'p_1',
            customers: [{ profile_id: 'p_1', name: 'Pia Larsen', email: 'pia@nto.example', events: 3, first: '2026-10-01T00:00:00Z', last: '2026-10-03T00:00:00Z', advanced: true }],
          },
    }),
    ...routes,
  })
  renderView(
    <Routes>
      <Route path="journey-map" element={<JourneyMap />} />
    </Routes>,
    { path: '/journey-map' },
  )
  return calls
}

describe('journey map', () => {
  it('draws stages across and touchpoints grouped by channel down', async () => {
    open()
    const grid = within(await screen.findByRole('region', { name: GRID })).getByRole('table')
    const heads = within(grid).getAllByRole('columnheader').map((h) => h.textContent)
    expect(heads).toEqual(['Touchpoint', 'awareness', 'consideration'])
    expect(within(grid).getByRole('link', { name: 'consideration' })).toHaveAttribute('href', '/segments/seg_cons')
    expect(within(grid).getAllByRole('rowheader').map((h) => h.textContent)).toEqual([
      'All touchpoints',
      'Web',
      'Product Viewed',
      'Order Completed',
      'Email',
      'Message Sent',
    ])
    const cellBtn = screen.getByRole('button', { name: 'Web Order Completed consideration 45 97.8% on' })
    expect(cellBtn).toHaveAccessibleDescription(/the share of them who moved on to a later stage within 30d/)
    expect(screen.getByRole('button', { name: 'All touchpoints awareness 100 40.0% on' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /^Web Order Completed awareness/ })).toBeNull()
    expect(screen.getByText(/3 touchpoints with fewer customers are not shown/)).toBeInTheDocument()
    expect(screen.getByRole('heading', { name: '120 customers across 2 stages' })).toBeInTheDocument()
  })

  it('opens a cell: its customers page by page, the journeys acting on them, and saves it as a segment', async () => {
    const calls = open({ 'POST /v1/segments': { status: 201, body: { id: 'seg_new', name: 'Order Completed (Web) in consideration' } } })
    await userEvent.click(await screen.findByRole('button', { name: /^Web Order Completed consideration/ }))
    const detail = await screen.findByRole('region', { name: 'Web · Order Completed in consideration' })
    expect(within(detail).getByRole('link', { name: 'Abandoned cart' })).toHaveAttribute('href', '/journeys/abandoned-cart')
    expect(within(detail).getByRole('link', { name: 'Nurture' })).toBeInTheDocument()
    expect(within(detail).getByRole('link', { name: 'Stage: consideration' })).toHaveAttribute('href', '/segments/seg_cons')
    expect(await within(detail).findByRole('link', { name: 'Pia Larsen' })).toHaveAttribute('href', '/profiles/p_1')
    expect(within(detail).getByText('pia@nto.example')).toBeInTheDocument()

    const first = calls.filter((c) => c.url.pathname === '/v1/analytics/journey-map/customers').at(-1)
    expect(Object.fromEntries(first?.url.searchParams ?? [])).toMatchObject({
      stage: 'consideration',
      channel: 'web',
      touchpoint: 'Order Completed',
      window: '30d',
    })
    await userEvent.click(within(detail).getByRole('button', { name: 'Next page' }))
    expect(await within(detail).findByRole('link', { name: 'p_2' })).toBeInTheDocument()
    expect(calls.at(-1)?.url.searchParams.get('after')).toBe('p_1')

    await userEvent.selectOptions(within(detail).getByLabelText('Show'), 'no')
    await waitFor(() => expect(calls.at(-1)?.url.searchParams.get('advanced')).toBe('false'))
    expect(calls.at(-1)?.url.searchParams.get('after')).toBeNull()

    await userEvent.click(within(detail).getByRole('button', { name: 'Save as a live segment' }))
    expect(await within(detail).findByRole('link', { name: 'Order Completed (Web) in consideration' })).toHaveAttribute(
      'href',
      '/segments/seg_new',
    )
    const post = calls.find((c) => c.method === 'POST' && c.url.pathname === '/v1/segments')
    expect(post?.body).toMatchObject({
      definition: {
        and: [
          { in_segment: { match: 'any', ids: ['seg_cons'] } },
          { performed: { event: 'Order Completed', window: { within: '30d' } } },
          { channel: { channels: ['web'], window: { within: '30d' } } },
        ],
      },
    })
  })

  it('redraws the map for a range and says what is wrong with it', async () => {
    const calls = open()
    await screen.findByRole('region', { name: GRID })
    mockFetch({
      'GET /v1/analytics/journey-map': {
        status: 422,
        body: { error: { code: 'validation_error', message: 'invalid report: until must be after since' } },
      },
    })
    await userEvent.type(screen.getByLabelText('From'), '2026-10-01')
    await userEvent.click(screen.getByRole('button', { name: 'Draw the map' }))
    expect(await screen.findByText(/until must be after since/)).toBeInTheDocument()
    expect(calls.length).toBeGreaterThan(0)
  })

  it('asks for every touchpoint on demand', async () => {
    const calls = open()
    await screen.findByRole('region', { name: GRID })
    expect(calls[0]?.url.searchParams.get('rows')).toBe('30')
    await userEvent.click(screen.getByRole('button', { name: 'Show every touchpoint' }))
    await waitFor(() => expect(calls.at(-1)?.url.searchParams.get('rows')).toBe('500'))
  })

  it('tells what to do when there is no touchpoint', async () => {
    open({ 'GET /v1/analytics/journey-map': { body: { ...map, rows: [], customers: 0 } } })
    expect(await screen.findByText('No touchpoint in this range')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'source' })).toHaveAttribute('href', '/sources')
  })
})

describe('journey map model', () => {
  it('finds the journeys acting on a cell', () => {
    const ids = (p: Parameters<typeof journeysFor>[1]) => journeysFor(map.journeys, p).map((j) => j.id)
    expect(ids({ stage: 'awareness', row: { channel: 'web', touchpoint: 'Order Completed' } })).toEqual(['abandoned-cart'])
    expect(ids({ stage: 'consideration' })).toEqual(['nurture'])
    expect(ids({ stage: 'awareness', row: { channel: 'sms', touchpoint: 'Message Sent' } })).toEqual(['nurture'])
    expect(ids({ stage: 'awareness', row: { channel: 'web', touchpoint: 'Product Viewed' } })).toEqual([])
  })

  it('saves only events a segment can test', () => {
    expect(cellSegment(map, { stage: 'awareness', row: { channel: 'web', touchpoint: 'Page Viewed' } })).toBeUndefined()
    expect(cellSegment(map, { stage: 'awareness', row: { channel: 'email', touchpoint: 'Message Sent' } })).toBeUndefined()
    expect(cellSegment(map, { stage: 'awareness' })).toBeUndefined()
    const s = cellSegment(map, { stage: 'awareness', row: { channel: 'web', touchpoint: 'Product Viewed' } })
    expect(s?.definition).toEqual({
      and: [
        { performed: { event: 'Product Viewed', window: { within: '30d' } } },
        { channel: { channels: ['web'], window: { within: '30d' } } },
      ],
    })
  })

  it('shades by volume and keeps text readable', () => {
    expect(shade(0, 100)).toBe(0)
    expect(shade(100, 100)).toBe(0.55)
    expect(shade(25, 100)).toBeCloseTo(0.31, 2)
  })
})
