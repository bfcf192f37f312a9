import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Route, Routes } from 'react-router'
import { describe, expect, it, vi } from 'vitest'
import { apiError, mockFetch, type Handler } from '../../test/fetchMock'
import { renderView } from '../../test/render'
import { Segments } from '../Segments'
import { buyers, vipRef } from './testData'

function open(path: string, routes: Record<string, Handler>) {
  const calls = mockFetch(routes)
  renderView(
    <Routes>
      <Route path="segments/*" element={<Segments />} />
    </Routes>,
    { path },
  )
  return calls
}

const members = (from: number, n: number, next: string) => ({
  segment_id: 'seg_buyers',
  version: 2,
  size: 3,
  members: Array.from({ length: n }, (_, i) => ({ segment_id: 'seg_buyers', profile_id: `p_${from + i}`, version: 2, since: '2026-02-01T00:00:00Z' })),
  next_cursor: next,
})

const page = (extra: Record<string, Handler> = {}) => ({
  'GET /v1/segments/seg_buyers': { body: buyers },
  'GET /v1/segments/seg_buyers/history': {
    body: {
      segment_id: 'seg_buyers',
      version: 2,
      bucket: 'day',
      since: '',
      until: '',
      size: 1234,
      history: [
        { at: '2026-02-27T00:00:00Z', size: 1200, entered: 10, exited: 2 },
        { at: '2026-02-28T00:00:00Z', size: 1234, entered: 40, exited: 6 },
      ],
    },
  },
  'GET /v1/segments/seg_buyers/members': (url: URL) => ({
    body: url.searchParams.get('cursor') === 'p_2' ? members(3, 1, '') : members(1, 2, 'p_2'),
  }),
  'GET /v1/segments/seg_buyers/versions': {
    body: {
      segment_id: 'seg_buyers',
      versions: [
        { segment_id: 'seg_buyers', version: 1, definition: { everyone: true }, text: 'everyone', created_at: '2026-01-01T00:00:00Z' },
        { segment_id: 'seg_buyers', version: 2, definition: buyers.definition, text: buyers.text, created_at: '2026-02-01T00:00:00Z' },
      ],
    },
  },
  ...extra,
})

describe('segment list', () => {
  it('lists every segment with its status and its size read row by row', async () => {
    const calls = open('/segments', {
      'GET /v1/segments': { body: { segments: [buyers, vipRef] } },
      'GET /v1/segments/seg_buyers': { body: buyers },
      'GET /v1/segments/seg_vip': { body: { ...vipRef, status: 'backfilling', size: 10, backfill: { done: 250, total: 1000, percent: 25 } } },
    })
    const row = (await screen.findByRole('link', { name: 'Recent buyers' })).closest('tr') as HTMLElement
    expect(row).toHaveTextContent('Bought in the last 30 days')
    await waitFor(() => expect(row).toHaveTextContent('1,234'))
    expect(row).toHaveTextContent('live')
    const vip = screen.getByRole('link', { name: 'VIP' }).closest('tr') as HTMLElement
    await waitFor(() => expect(vip).toHaveTextContent('backfilling 25%'))
    expect(screen.getByRole('link', { name: 'New segment' })).toHaveAttribute('href', '/segments/new')
    expect(calls.map((c) => c.url.pathname)).toContain('/v1/segments/seg_vip')
  })

  it('explains segments with an example when there are none', async () => {
    open('/segments', { 'GET /v1/segments': { body: { segments: [] } } })
    expect(await screen.findByText('No segments yet')).toBeInTheDocument()
    expect(screen.getByText(/performed "Order Completed" within 30d/)).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Create your first segment' })).toHaveAttribute('href', '/segments/new')
  })
})

describe('segment page', () => {
  it('shows the definition, size, history, versions and pages of members', async () => {
    open('/segments/seg_buyers', page())
    expect(await screen.findByRole('heading', { name: 'Recent buyers' })).toBeInTheDocument()
    const def = screen.getByRole('region', { name: 'Definition' })
    expect(within(def).getByLabelText('Definition as text')).toHaveTextContent('performed "Order Completed" within 30d')
    expect(def).toHaveTextContent('1,234')
    expect(screen.getByRole('link', { name: 'Edit' })).toHaveAttribute('href', '/segments/seg_buyers/edit')

    const history = screen.getByRole('region', { name: 'Size over time' })
    expect(await within(history).findByRole('img', { name: 'Members per day, now 1,234' })).toBeInTheDocument()
    expect(within(history).getByRole('row', { name: /Feb 28 1,234 40 6/ })).toBeInTheDocument()

    const versions = screen.getByRole('region', { name: 'Versions' })
    await waitFor(() => expect(within(versions).getAllByRole('listitem').map((li) => li.textContent)).toHaveLength(2))
    expect(within(versions).getAllByRole('listitem')[0]).toHaveTextContent(/Version 2current.*performed "Order Completed"/)

    const list = await screen.findByRole('region', { name: 'Members (3)' })
    expect(within(list).getByRole('link', { name: 'p_1' })).toHaveAttribute('href', '/profiles/p_1')
    await userEvent.click(within(list).getByRole('button', { name: 'Next page' }))
    expect(await within(list).findByRole('link', { name: 'p_3' })).toBeInTheDocument()
    expect(within(list).getByRole('button', { name: 'Next page' })).toBeDisabled()
    await userEvent.click(within(list).getByRole('button', { name: 'Previous page' }))
    expect(await within(list).findByRole('link', { name: 'p_1' })).toBeInTheDocument()
  })

  it('exports the members as CSV with the session', async () => {
    const createObjectURL = vi.fn(() => 'blob:x')
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }))
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    const calls = open('/segments/seg_buyers', page({ 'GET /v1/segments/seg_buyers/members.csv': { body: 'profile_id,since,version' } }))
    await userEvent.click(await screen.findByRole('button', { name: 'Export members (CSV)' }))
    await waitFor(() => expect(click).toHaveBeenCalled())
    const csv = calls.find((c) => c.url.pathname === '/v1/segments/seg_buyers/members.csv')
    expect(csv?.headers.Accept).toBe('text/csv')
    expect(csv?.init.credentials).toBe('same-origin')
  })

  it('deletes after confirmation, and says why when another segment uses it', async () => {
    let refused = true
    const calls = open('/segments/seg_buyers', {
      ...page(),
      'DELETE /v1/segments/seg_buyers': () =>
        refused
          ? apiError(409, 'conflict', 'segment seg_buyers is used through in_segment by seg_vip; remove those references first')
          : { status: 204 },
      'GET /v1/segments': { body: { segments: [] } },
    })
    await userEvent.click(await screen.findByRole('button', { name: 'Delete' }))
    const dialog = screen.getByRole('dialog', { name: 'Delete “Recent buyers”?' })
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete segment' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('used through in_segment by seg_vip')
    refused = false
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete segment' }))
    expect(await screen.findByRole('heading', { name: 'Segments' })).toBeInTheDocument()
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(2)
  })

  it('says what a segment that is not live lacks, and asks nothing of members or history', async () => {
    const calls = open('/segments/seg_buyers', page({ 'GET /v1/segments/seg_buyers': { body: { ...buyers, status: 'defined', size: undefined } } }))
    expect(await screen.findByText(/uses message or subscription conditions/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Export members (CSV)' })).toBeDisabled()
    expect(screen.getAllByText('Not computed')).toHaveLength(2)
    expect(calls.some((c) => c.url.pathname.endsWith('/members') || c.url.pathname.endsWith('/history'))).toBe(false)
  })
})
