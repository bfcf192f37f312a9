import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { mockFetch, type Handler } from '../../test/fetchMock'
import { renderView } from '../../test/render'
import { deleteNode, setNodeField } from './edit'
import { welcome } from './fixtures'
import { JourneyEditor } from './JourneyEditor'
import type { JourneyDefinition, Problem } from './types'

// React Flow needs layout APIs jsdom lacks: the canvas is a list of buttons here (its parts have their own tests).
vi.mock('./Canvas', () => ({
  Canvas: ({ def, problems, onSelect }: { def: JourneyDefinition; problems: Map<string, Problem[]>; onSelect: (id: string) => void }) => (
    <ul aria-label="Canvas">
      {def.nodes.map((n) => (
        <li key={n.id}>
          <button type="button" onClick={() => onSelect(n.id)}>
            {n.id}
            {problems.has(n.id) ? ' (invalid)' : ''}
          </button>
        </li>
      ))}
    </ul>
  ),
}))

const record = (draft: JourneyDefinition) => ({
  id: 'welcome-series',
  name: 'Welcome series',
  status: 'live',
  live_version: 1,
  created_at: '',
  updated_at: '',
  draft,
  live: welcome(),
  unpublished_changes: true,
})

const refs: Record<string, Handler> = {
  'GET /v1/templates': {
    body: {
      templates: [
        { id: 'first-order-coupon', body: { id: 'first-order-coupon', name: 'Coupon', channel: 'sms' } },
        { id: 'sms-2', body: { id: 'sms-2', name: 'Second SMS', channel: 'sms' } },
        { id: 'welcome', body: { id: 'welcome', name: 'Welcome', channel: 'email' } },
      ],
    },
  },
  'GET /v1/channels': { body: { channels: [{ id: 'sms', body: { id: 'sms', type: 'sms' } }, { id: 'email', body: { id: 'email', type: 'email' } }] } },
  'GET /v1/subscription-groups': { body: { subscription_groups: [] } },
  'GET /v1/segments': { body: { segments: [] } },
  'GET /v1/journeys': { body: { journeys: [] } },
  'GET /v1/journeys/welcome-series/stats': { body: { journey_id: 'welcome-series', status: 'live', live_version: 1, entered: 9, goals: 1, exited: {}, nodes: [] } },
  'GET /v1/analytics/journeys/welcome-series/report': { body: { nodes: [] } },
  'GET /v1/journeys/welcome-series/versions': { body: { journey_id: 'welcome-series', live_version: 1, versions: [] } },
}

function renderEditor(draft: JourneyDefinition, routes: Record<string, Handler>) {
  const calls = mockFetch({ 'GET /v1/journeys/welcome-series': { body: record(draft) }, ...refs, ...routes })
  renderView(<JourneyEditor id="welcome-series" />)
  return calls
}

describe('the journey editor', () => {
  it('edits a message from the side panel, saves it whole and shows the problems of the check', async () => {
    const problem = { path: 'nodes[4].message.template', node: 'coupon-sms', message: 'template "sms-2" is not approved', hint: 'pick another' }
    const calls = renderEditor(welcome(), {
      'PUT /v1/journeys/welcome-series': (_, init) => ({ body: record(JSON.parse(String(init.body)).definition) }),
      'POST /v1/journeys/welcome-series/validate': { status: 422, body: { error: { code: 'journey_invalid', message: '1 problem', problems: [problem] } } },
    })
    await userEvent.click(await screen.findByRole('button', { name: 'coupon-sms' }))
    const side = screen.getByRole('complementary', { name: /coupon-sms/ })
    await userEvent.selectOptions(await within(side).findByRole('combobox', { name: 'Template' }), 'sms-2')
    expect(screen.getByText('· unsaved changes')).toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Save draft' }))

    const put = calls.find((c) => c.method === 'PUT')
    const saved = (put?.body as { definition: JourneyDefinition }).definition
    expect(saved.nodes[4]).toEqual({
      id: 'coupon-sms',
      message: { channel: 'sms', template: 'sms-2', subscription_group: 'sms-offers', on_failure: 'skip' },
      next: 'done',
    })
    expect(saved.goals).toEqual(welcome().goals)
    const list = await screen.findByRole('alert', { name: 'Problems to fix before publishing' })
    expect(list).toHaveTextContent('template "sms-2" is not approved — pick another')
    expect(screen.getByRole('button', { name: 'coupon-sms (invalid)' })).toBeInTheDocument()
    expect(within(side).getByRole('list', { name: 'Problems here' })).toHaveTextContent('message.template')
  })

  it('publishes after showing the diff against the live version', async () => {
    const draft = setNodeField(welcome(), 'coupon-sms', 'message.template', 'sms-2')
    const calls = renderEditor(draft, {
      'POST /v1/journeys/welcome-series/validate': { body: { valid: true } },
      'POST /v1/journeys/welcome-series/publish': { body: { journey_id: 'welcome-series', version: 2 } },
    })
    await userEvent.click(await screen.findByRole('button', { name: 'Publish…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Publish “Welcome series”?' })
    expect(dialog).toHaveTextContent('Compared with the live version 1')
    expect(dialog).toHaveTextContent('coupon-sms')
    expect(dialog).toHaveTextContent('message.template: first-order-coupon → sms-2')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Publish' }))
    expect(await screen.findByText('Published: version 2 is live.')).toBeInTheDocument()
    expect(calls.some((c) => c.method === 'POST' && c.url.pathname.endsWith('/publish'))).toBe(true)
    expect(calls.some((c) => c.method === 'PUT')).toBe(false)
  })

  it('offers to move the customers waiting at a removed step when publishing', async () => {
    const calls = renderEditor(deleteNode(welcome(), 'coupon-sms'), {
      'GET /v1/journeys/welcome-series/stats': {
        body: { journey_id: 'welcome-series', status: 'live', live_version: 1, entered: 9, goals: 1, exited: {}, nodes: [{ node: 'coupon-sms', active: 4, queued: 0, sent: 0, failed: 0, skipped: {} }] },
      },
      'POST /v1/journeys/welcome-series/validate': { body: { valid: true } },
      'POST /v1/journeys/welcome-series/publish': { body: { journey_id: 'welcome-series', version: 2, migrated: 4 } },
    })
    await userEvent.click(await screen.findByRole('button', { name: 'Publish…' }))
    const dialog = await screen.findByRole('dialog')
    expect(dialog).toHaveTextContent('Steps removed: coupon-sms')
    await userEvent.selectOptions(await within(dialog).findByRole('combobox', { name: '4 at coupon-sms: move them to' }), 'done')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Publish' }))
    expect(await screen.findByText('Published: version 2 is live. 4 waiting customers moved onto it.')).toBeInTheDocument()
    expect(calls.find((c) => c.url.pathname.endsWith('/publish'))?.body).toEqual({ migrate: { 'coupon-sms': 'done' } })
  })

  it('stops only after a confirmation that says everyone leaves', async () => {
    const calls = renderEditor(welcome(), {
      'POST /v1/journeys/welcome-series/stop': { body: { journey_id: 'welcome-series', status: 'stopped', live_version: 1 } },
    })
    await userEvent.click(await screen.findByRole('button', { name: 'Stop…' }))
    const dialog = screen.getByRole('dialog', { name: 'Stop “Welcome series”?' })
    expect(dialog).toHaveTextContent('ejects everyone in the journey now')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(calls.some((c) => c.url.pathname.endsWith('/stop'))).toBe(false)
    await userEvent.click(screen.getByRole('button', { name: 'Stop…' }))
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Stop the journey' }))
    expect(await screen.findByText('Stopped: everyone in it has left the journey.')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Stop…' })).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Resume' })).toBeInTheDocument()
  })

  it('adds a step after the selected one from the palette, and deletes it', async () => {
    renderEditor(welcome(), {})
    await userEvent.click(await screen.findByRole('button', { name: 'welcome-email' }))
    await userEvent.click(within(screen.getByRole('region', { name: 'Add a step' })).getByRole('button', { name: 'Delay' }))
    const side = screen.getByRole('complementary', { name: /delay-1/ })
    expect(within(side).getByRole('combobox', { name: 'Then' })).toHaveValue('has-app')
    await userEvent.click(within(side).getByRole('button', { name: 'Delete this step' }))
    expect(screen.queryByRole('button', { name: 'delay-1' })).not.toBeInTheDocument()
    expect(screen.getByRole('complementary', { name: 'Journey settings' })).toBeInTheDocument()
  })
})

describe('version history', () => {
  it('lists the published versions, newest first, and what each changed', async () => {
    const v1 = welcome()
    const v2 = setNodeField(v1, 'welcome-email', 'message.template', 'first-order-coupon')
    renderEditor(welcome(), {
      'GET /v1/journeys/welcome-series/versions': {
        body: {
          journey_id: 'welcome-series',
          live_version: 2,
          versions: [
            { version: 1, definition: v1, published_at: '2026-11-01T10:00:00Z' },
            { version: 2, definition: v2, published_at: '2026-11-20T10:00:00Z' },
          ],
        },
      },
    })
    const table = await screen.findByRole('region', { name: 'Published versions' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['2live', '1'])
    expect(within(rows[1] as HTMLElement).getByText('The first version')).toBeInTheDocument()
    await userEvent.click(within(table).getByRole('button', { name: 'What changed in version 2' }))
    expect(within(table).getByText('Against version 1:')).toBeInTheDocument()
    expect(within(table).getByText('message.template', { exact: false })).toBeInTheDocument()
  })
})
