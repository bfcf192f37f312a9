import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Route, Routes } from 'react-router'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { apiError, mockFetch, type Handler } from '../../test/fetchMock'
import { renderView } from '../../test/render'
import { Sources } from '../Sources'
import { FakeEventSource } from './fakeEventSource'

const web = {
  id: 'src_web',
  name: 'nto-web',
  channel: 'web',
  party: 'first',
  created_at: '2026-10-01T10:00:00Z',
  write_keys: [
    { key: 'wk_old', source_id: 'src_web', created_at: '2026-10-01T10:00:00Z', revoked_at: '2026-10-02T10:00:00Z' },
    { key: 'wk_web', source_id: 'src_web', created_at: '2026-10-02T10:00:00Z' },
  ],
}
const cairn = { id: 'src_cairn', name: 'cairn', channel: 'server', party: 'first', created_at: '2026-10-01T09:00:00Z' }
const created = {
  id: 'src_app',
  name: 'nto-app',
  channel: 'app',
  party: 'second',
  created_at: '2026-10-03T10:00:00Z',
  write_keys: [{ key: 'wk_brand_new_key', source_id: 'src_app', created_at: '2026-10-03T10:00:00Z' }],
}

function renderSources(routes: Record<string, Handler>) {
  const calls = mockFetch({ 'GET /v1/sources': { body: { sources: [web, cairn] } }, ...routes })
  renderView(
    <Routes>
      <Route path="/sources/*" element={<Sources />} />
    </Routes>,
    { path: '/sources' },
  )
  return calls
}

beforeEach(() => {
  FakeEventSource.instances = []
  vi.stubGlobal('EventSource', FakeEventSource)
})

describe('Sources', () => {
  it('lists the sources with their active keys and watches every source', async () => {
    renderSources({})
    const link = await screen.findByRole('link', { name: 'nto-web' })
    expect(link).toHaveAttribute('href', '/sources/src_web')
    const row = link.closest('tr') as HTMLElement
    expect(row).toHaveTextContent('Website')
    expect(row).toHaveTextContent('1 active key')
    expect(screen.getByRole('link', { name: 'cairn' }).closest('tr')).toHaveTextContent('Cairn’s own events')
    expect(FakeEventSource.last.url).toBe('/v1/debugger/events')
    expect(screen.getByRole('region', { name: 'Live events from every source' })).toHaveTextContent('Waiting for events…')
  })

  it('creates a source and shows its write key with a copy button', async () => {
    const writeText = vi.fn(async () => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    let listed = [web, cairn]
    const calls = renderSources({
      'GET /v1/sources': () => ({ body: { sources: listed } }),
      'POST /v1/sources': () => {
        listed = [...listed, created]
        return { status: 201, body: created }
      },
    })
    await screen.findByRole('link', { name: 'nto-web' })

    await userEvent.type(screen.getByLabelText('Name'), '  nto-app ')
    await userEvent.selectOptions(screen.getByLabelText('Channel'), 'app')
    await userEvent.selectOptions(screen.getByLabelText('Data from'), 'second')
    await userEvent.click(screen.getByRole('button', { name: 'Create source' }))

    const notice = await screen.findByRole('region', { name: 'Source “nto-app” created' })
    const post = calls.find((c) => c.method === 'POST')
    expect(post?.url.pathname).toBe('/v1/sources')
    expect(post?.body).toEqual({ name: 'nto-app', channel: 'app', party: 'second' })
    expect(within(notice).getByLabelText('Write key')).toHaveValue('wk_brand_new_key')
    expect(within(notice).getByRole('link', { name: /Open “nto-app”/ })).toHaveAttribute('href', '/sources/src_app')
    expect(screen.getByLabelText('Name')).toHaveValue('')
    expect(await screen.findByRole('link', { name: 'nto-app' })).toBeInTheDocument()

    await userEvent.click(within(notice).getByRole('button', { name: 'Copy the write key' }))
    expect(writeText).toHaveBeenCalledWith('wk_brand_new_key')
    expect(within(notice).getByText('Copied')).toBeInTheDocument()

    await userEvent.click(within(notice).getByRole('button', { name: 'Dismiss' }))
    expect(screen.queryByRole('region', { name: 'Source “nto-app” created' })).not.toBeInTheDocument()
  })

  it('shows the API error next to the field it names', async () => {
    const calls = renderSources({
      'POST /v1/sources': apiError(400, 'bad_request', 'party "fourth" is not one of first, second, third', 'party'),
    })
    await userEvent.type(screen.getByLabelText('Name'), 'nto-x')
    await userEvent.click(screen.getByRole('button', { name: 'Create source' }))

    const party = screen.getByLabelText('Data from')
    expect(await screen.findByRole('alert')).toHaveTextContent('party "fourth" is not one of first, second, third')
    expect(party).toHaveAttribute('aria-invalid', 'true')
    expect(party).toHaveAccessibleDescription(/is not one of first, second, third/)
    expect(party).toHaveFocus()
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid')
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1)
  })

  it('shows a taken name next to the name field', async () => {
    renderSources({
      'POST /v1/sources': apiError(409, 'conflict', 'a source named "nto-web" already exists (id src_web); pick another name'),
    })
    await userEvent.type(screen.getByLabelText('Name'), 'nto-web{Enter}')
    const name = screen.getByLabelText('Name')
    expect(await screen.findByRole('alert')).toHaveTextContent('already exists')
    expect(name).toHaveAttribute('aria-invalid', 'true')
    expect(name).toHaveAccessibleDescription(/pick another name/)
  })

  it('asks for a name before calling the server', async () => {
    const calls = renderSources({})
    await screen.findByRole('link', { name: 'nto-web' })
    await userEvent.click(screen.getByRole('button', { name: 'Create source' }))
    expect(screen.getByRole('alert')).toHaveTextContent('Enter a name for the source')
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0)
  })

  it('shows an error without a field above the button', async () => {
    renderSources({ 'POST /v1/sources': apiError(500, 'internal', 'The server had a problem.') })
    await userEvent.type(screen.getByLabelText('Name'), 'nto-x{Enter}')
    expect(await screen.findByRole('alert')).toHaveTextContent('The server had a problem.')
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid')
  })

  it('explains what to do when there is no source', async () => {
    renderSources({ 'GET /v1/sources': { body: { sources: [] } } })
    expect(await screen.findByText('No sources yet')).toBeInTheDocument()
  })
})
