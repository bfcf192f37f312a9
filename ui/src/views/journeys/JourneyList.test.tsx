import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Route, Routes } from 'react-router'
import { describe, expect, it, vi } from 'vitest'
import { mockFetch, type Handler } from '../../test/fetchMock'
import { renderView } from '../../test/render'
import { Journeys } from '../Journeys'
import { newDefinition } from './edit'

vi.mock('./Canvas', () => ({ Canvas: () => <p>canvas</p> }))

const live = { id: 'win-back', name: 'Win-back', status: 'live', live_version: 2, created_at: '', updated_at: '' }
const draft = { id: 'draft-1', name: 'A draft', status: 'draft', created_at: '', updated_at: '' }
const stats = {
  journey_id: 'win-back',
  status: 'live',
  live_version: 2,
  entered: 82,
  goals: 5,
  exited: {},
  nodes: [{ node: 'wait-order', active: 70, queued: 0, sent: 0, failed: 0, skipped: {} }],
}

function renderList(routes: Record<string, Handler>) {
  const calls = mockFetch(routes)
  renderView(
    <Routes>
      <Route path="/journeys/*" element={<Journeys />} />
    </Routes>,
    { path: '/journeys' },
  )
  return calls
}

describe('the journey list', () => {
  it('shows status, live version and the numbers of published journeys', async () => {
    renderList({ 'GET /v1/journeys': { body: { journeys: [draft, live] } }, 'GET /v1/journeys/win-back/stats': { body: stats } })
    const link = await screen.findByRole('link', { name: 'Win-back' })
    expect(link).toHaveAttribute('href', '/journeys/win-back')
    const row = link.closest('tr') as HTMLElement
    await screen.findByText('82')
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['live', 'v2', '82', '70', '5'])
    const other = screen.getByRole('link', { name: 'A draft' }).closest('tr') as HTMLElement
    expect(within(other).getAllByRole('cell').map((c) => c.textContent)).toEqual(['draft', '—', '—', '—', '—'])
  })

  it('says what to do when there is none, and creates a draft with an entry and an exit', async () => {
    const calls = renderList({
      'GET /v1/journeys': { body: { journeys: [] } },
      'POST /v1/journeys': (_, init) => ({ status: 201, body: { id: JSON.parse(String(init.body)).definition.id } }),
      'GET /v1/journeys/birthday-offer': {
        body: { id: 'birthday-offer', name: 'Birthday offer', status: 'draft', draft: newDefinition('birthday-offer', 'Birthday offer'), unpublished_changes: true },
      },
    })
    expect(await screen.findByText('No journeys yet')).toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'New journey' }))
    await userEvent.type(screen.getByLabelText('Name'), 'Birthday offer')
    expect(screen.getByLabelText(/^Id/)).toHaveValue('birthday-offer')
    await userEvent.click(screen.getByRole('button', { name: 'Create draft' }))
    const post = calls.find((c) => c.method === 'POST')
    expect(post?.body).toEqual({
      definition: { id: 'birthday-offer', name: 'Birthday offer', entry: { event: { name: 'Signed Up' }, next: 'done' }, nodes: [{ id: 'done', exit: {} }] },
    })
    // The editor opens on the new journey.
    const heading = await screen.findByRole('heading', { level: 1, name: 'Birthday offer' })
    expect(heading.nextElementSibling).toHaveTextContent('draft never published')
  })
})
