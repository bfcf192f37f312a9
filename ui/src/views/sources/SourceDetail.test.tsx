import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Route, Routes } from 'react-router'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { apiError, mockFetch, type Handler } from '../../test/fetchMock'
import { renderView } from '../../test/render'
import { Sources } from '../Sources'
import { FakeEventSource } from './fakeEventSource'

const oldKey = { key: 'wk_old_key_1', source_id: 'src_web', created_at: '2026-10-01T10:00:00Z' }
const newKey = { key: 'wk_new_key_2', source_id: 'src_web', created_at: '2026-10-02T10:00:00Z' }

function source(keys: object[]) {
  return { id: 'src_web', name: 'nto-web', channel: 'web', party: 'first', created_at: '2026-10-01T10:00:00Z', write_keys: keys }
}

function renderSource(routes: Record<string, Handler>, id = 'src_web') {
  const calls = mockFetch(routes)
  renderView(
    <Routes>
      <Route path="/sources/*" element={<Sources />} />
    </Routes>,
    { path: `/sources/${id}` },
  )
  return calls
}

function keyRow(key: string) {
  return screen.getByText(key).closest('tr') as HTMLElement
}

beforeEach(() => {
  FakeEventSource.instances = []
  vi.stubGlobal('EventSource', FakeEventSource)
})

describe('SourceDetail', () => {
  it('shows the keys, snippets with the newest key and this server, and the source’s live events', async () => {
    renderSource({ 'GET /v1/sources/src_web': { body: source([oldKey, newKey]) } })
    expect(await screen.findByRole('heading', { level: 1, name: 'nto-web' })).toBeInTheDocument()
    expect(within(keyRow('wk_new_key_2')).getByText('active')).toBeInTheDocument()

    const snippets = screen.getByRole('region', { name: 'Send events' })
    const code = within(snippets).getByRole('tabpanel')
    expect(code).toHaveTextContent("writeKey: 'wk_new_key_2'")
    expect(code).toHaveTextContent(`cdnURL: '${window.location.origin}'`)

    const curl = within(snippets).getByRole('tab', { name: 'curl' })
    await userEvent.click(curl)
    expect(curl).toHaveAttribute('aria-selected', 'true')
    expect(within(snippets).getByRole('tabpanel')).toHaveTextContent(`curl -u 'wk_new_key_2:'`)
    await userEvent.keyboard('{ArrowRight}')
    expect(within(snippets).getByRole('tab', { name: 'Browser' })).toHaveFocus()
    await userEvent.keyboard('{End}')
    expect(curl).toHaveFocus()

    expect(FakeEventSource.last.url).toBe('/v1/debugger/events?source=src_web')
    expect(screen.getByRole('region', { name: 'Live events' })).toHaveTextContent('Send one with the curl snippet above')
  })

  it('revokes a key only after the confirmation', async () => {
    let keys: object[] = [oldKey, newKey]
    const calls = renderSource({
      'GET /v1/sources/src_web': () => ({ body: source(keys) }),
      'DELETE /v1/sources/src_web/keys/wk_old_key_1': () => {
        keys = [{ ...oldKey, revoked_at: '2026-10-03T10:00:00Z' }, newKey]
        return { status: 204 }
      },
    })
    await screen.findByText('wk_old_key_1')
    const revoke = screen.getByRole('button', { name: 'Revoke key wk_old_k…' })

    await userEvent.click(revoke)
    let dialog = screen.getByRole('dialog', { name: 'Revoke this write key?' })
    expect(dialog).toHaveTextContent('wk_old_key_1 stops working within seconds')
    expect(dialog).not.toHaveTextContent('only active key')
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus()
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(revoke).toHaveFocus()
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(0)

    await userEvent.click(revoke)
    await userEvent.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()

    await userEvent.click(revoke)
    dialog = screen.getByRole('dialog')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
    expect(await screen.findByText(/wk_old_k… revoked/)).toBeInTheDocument()
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1)
    expect(await within(keyRow('wk_old_key_1')).findByText('revoked')).toBeInTheDocument()
    expect(within(keyRow('wk_old_key_1')).queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument()
  })

  it('warns before revoking the only active key and shows a failure in the dialog', async () => {
    const calls = renderSource({
      'GET /v1/sources/src_web': { body: source([oldKey]) },
      'DELETE /v1/sources/src_web/keys/wk_old_key_1': apiError(404, 'not_found', 'source src_web has no write key "wk_old_key_1"'),
    })
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke key wk_old_k…' }))
    const dialog = screen.getByRole('dialog')
    expect(dialog).toHaveTextContent('It is the only active key of “nto-web”.')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('has no write key')
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1)
  })

  it('adds a key and highlights it', async () => {
    let keys: object[] = [oldKey]
    const calls = renderSource({
      'GET /v1/sources/src_web': () => ({ body: source(keys) }),
      'POST /v1/sources/src_web/keys': () => {
        keys = [oldKey, newKey]
        return { status: 201, body: newKey }
      },
    })
    await userEvent.click(await screen.findByRole('button', { name: 'Add a key' }))
    expect(await screen.findByText(/Switch your SDKs to it, then revoke the old key/)).toBeInTheDocument()
    expect(await screen.findByText('wk_new_key_2')).toBeInTheDocument()
    expect(keyRow('wk_new_key_2')).toHaveClass('src-row-new')
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1)
    expect(screen.getByRole('tabpanel')).toHaveTextContent('wk_new_key_2')
  })

  it('offers no keys, snippets or debugger for Cairn’s own source', async () => {
    renderSource(
      { 'GET /v1/sources/src_cairn': { body: { id: 'src_cairn', name: 'cairn', channel: 'server', party: 'first', created_at: '' } } },
      'src_cairn',
    )
    expect(await screen.findByText('Cairn’s own source')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Add a key' })).not.toBeInTheDocument()
    expect(screen.queryByRole('region', { name: 'Send events' })).not.toBeInTheDocument()
    expect(FakeEventSource.instances).toHaveLength(0)
  })

  it('tells when a source has no active key', async () => {
    renderSource({ 'GET /v1/sources/src_web': { body: source([{ ...oldKey, revoked_at: '2026-10-02T10:00:00Z' }]) } })
    expect(await screen.findByText('No active write key')).toBeInTheDocument()
  })

  it('shows the error for an unknown source with a way back', async () => {
    renderSource({ 'GET /v1/sources/src_gone': apiError(404, 'not_found', 'no source with id "src_gone"') }, 'src_gone')
    expect(await screen.findByRole('alert')).toHaveTextContent('no source with id "src_gone"')
    expect(screen.getByRole('link', { name: 'Back to the sources' })).toHaveAttribute('href', '/sources')
  })
})
