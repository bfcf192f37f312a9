import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Route, Routes } from 'react-router'
import { describe, expect, it, vi } from 'vitest'
import { apiError, mockFetch } from '../../test/fetchMock'
import { renderView } from '../../test/render'
import { Profiles } from '../Profiles'
import { PrivacyPanel } from './PrivacyPanel'
import { ProfileMessages } from './ProfileMessages'

function renderPanel() {
  return renderView(
    <Routes>
      <Route path="/profiles/p_abc" element={<PrivacyPanel profileId="p_abc" label="Pia Larsen" />} />
      <Route path="/profiles" element={<Profiles />} />
    </Routes>,
    { path: '/profiles/p_abc' },
  )
}

describe('PrivacyPanel', () => {
  it('erases only after ERASE is typed, then says what was removed', async () => {
    const calls = mockFetch({
      'DELETE /v1/profiles/p_abc': { body: { profile_ids: ['p_abc'], identifiers: 3, events: 42 } },
      'GET /v1/profiles': { body: { profiles: [], next_cursor: '' } },
    })
    renderPanel()
    await userEvent.click(screen.getByRole('button', { name: 'Erase this customer…' }))
    const erase = screen.getByRole('button', { name: 'Erase' })
    expect(erase).toBeDisabled()
    await userEvent.type(screen.getByLabelText('Type ERASE to confirm'), 'erase')
    expect(erase).toBeDisabled()
    await userEvent.clear(screen.getByLabelText('Type ERASE to confirm'))
    await userEvent.type(screen.getByLabelText('Type ERASE to confirm'), 'ERASE')
    await userEvent.click(erase)
    expect(await screen.findByRole('status')).toHaveTextContent('Erased Pia Larsen: 3 identifiers and 42 events removed.')
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1)
  })

  it('shows why an erasure failed next to the panel', async () => {
    mockFetch({ 'DELETE /v1/profiles/p_abc': apiError(503, 'unavailable', 'erasure is not configured on this server') })
    renderPanel()
    await userEvent.click(screen.getByRole('button', { name: 'Erase this customer…' }))
    await userEvent.type(screen.getByLabelText('Type ERASE to confirm'), 'ERASE')
    await userEvent.click(screen.getByRole('button', { name: 'Erase' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('erasure is not configured on this server')
  })

  it('downloads the export as a JSON file', async () => {
    const calls = mockFetch({ 'GET /v1/profiles/p_abc/export': { body: { profile: { id: 'p_abc' } } } })
    const created = vi.fn(() => 'blob:x')
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }))
    renderPanel()
    await userEvent.click(screen.getByRole('button', { name: 'Export as JSON' }))
    await vi.waitFor(() => expect(created).toHaveBeenCalled())
    expect(calls[0]?.url.pathname).toBe('/v1/profiles/p_abc/export')
  })
})

describe('ProfileMessages', () => {
  it('lists sends with their status and engagement', async () => {
    mockFetch({
      'GET /v1/profiles/p_abc/messages': {
        body: {
          profile_id: 'p_abc',
          messages: [
            { key: 'k1', journey_id: 'welcome', node_id: 'email_1', channel: 'email', template_id: 'welcome_1', status: 'sent', created_at: '2026-10-01T10:00:00Z',
              engagements: [{ type: 'opened', at: '2026-10-01T11:00:00Z' }, { type: 'delivered', at: '2026-10-01T10:01:00Z' }] },
            { key: 'k2', channel: 'sms', status: 'skipped', reason: 'quiet_hours', created_at: '2026-10-02T10:00:00Z', engagements: [] },
          ],
        },
      },
    })
    renderView(<ProfileMessages profileId="p_abc" />)
    const rows = await screen.findAllByRole('row')
    expect(within(rows[1]!).getByText('delivered, opened')).toBeInTheDocument()
    expect(within(rows[1]!).getByText('welcome · email_1')).toBeInTheDocument()
    expect(within(rows[2]!).getByText('quiet_hours')).toBeInTheDocument()
    expect(within(rows[2]!).getByText('transactional')).toBeInTheDocument()
  })
})
