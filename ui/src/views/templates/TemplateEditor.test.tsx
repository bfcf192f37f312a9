import { fireEvent, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Route, Routes } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { apiError, mockFetch } from '../../test/fetchMock'
import { renderView } from '../../test/render'
import { Templates } from '../Templates'
import { DEMO_ROWS, demo, rowOf } from './fixtures'

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

const previewCalls = (calls: ReturnType<typeof mockFetch>) => calls.filter((c) => c.url.pathname.endsWith('/preview'))

describe('template list', () => {
  it('lists the templates with channel and subject', async () => {
    mockFetch({ 'GET /v1/templates': { body: { templates: DEMO_ROWS } } })
    renderView(<Routes><Route path="templates/*" element={<Templates />} /></Routes>, { path: '/templates' })
    expect(await screen.findByRole('link', { name: 'Welcome email' })).toHaveAttribute('href', '/templates/welcome')
    expect(screen.getByText('SMS')).toBeInTheDocument()
    expect(screen.getByText('Welcome to NTO, {{ profile.first_name | default: "explorer" }}')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'New template' })).toHaveAttribute('href', '/templates/new')
  })

  it('shows an empty state', async () => {
    mockFetch({ 'GET /v1/templates': { body: { templates: [] } } })
    renderView(<Routes><Route path="templates/*" element={<Templates />} /></Routes>, { path: '/templates' })
    expect(await screen.findByText('No templates yet')).toBeInTheDocument()
  })
})

describe('template editor', () => {
  it('creates an SMS template with the body its channel needs', async () => {
    const calls = mockFetch({
      'POST /v1/templates/preview': { body: { template_id: '', profile_id: '', preview: { body: 'Hi' } } },
      'POST /v1/templates': (_u, init) => ({ status: 201, body: rowOf(JSON.parse(String(init.body))) }),
      'GET /v1/templates/promo': { body: rowOf({ id: 'promo', channel: 'sms', body: 'Hi {{ profile.first_name }}' }) },
    })
    const user = userEvent.setup()
    renderView(<Routes><Route path="templates/*" element={<Templates />} /></Routes>, { path: '/templates/new' })
    await user.type(screen.getByLabelText('Id'), 'promo')
    await user.selectOptions(screen.getByLabelText('Channel'), 'sms')
    expect(screen.queryByLabelText(/Subject/)).not.toBeInTheDocument()
    fireEvent.change(screen.getByLabelText('Body'), { target: { value: 'Hi {{ profile.first_name }}' } })
    await user.click(screen.getByRole('button', { name: 'Create template' }))
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url.pathname === '/v1/templates')).toBe(true))
    const post = calls.find((c) => c.method === 'POST' && c.url.pathname === '/v1/templates')
    expect(post?.body).toEqual({ id: 'promo', channel: 'sms', body: 'Hi {{ profile.first_name }}' })
  })

  it('shows what is missing next to the field before saving', async () => {
    const calls = mockFetch({ 'POST /v1/templates/preview': { body: { template_id: '', profile_id: '', preview: {} } } })
    const user = userEvent.setup()
    renderView(<Routes><Route path="templates/*" element={<Templates />} /></Routes>, { path: '/templates/new' })
    await user.type(screen.getByLabelText('Id'), 'mail')
    await user.click(screen.getByRole('button', { name: 'Create template' }))
    expect(screen.getByLabelText('Subject')).toHaveAccessibleDescription(/Subject is required/)
    expect(calls.some((c) => c.url.pathname === '/v1/templates' && c.method === 'POST')).toBe(false)
  })

  it('shows the server validation error next to the part', async () => {
    mockFetch({
      'GET /v1/templates/welcome': { body: rowOf(demo('welcome')) },
      'POST /v1/templates/welcome/preview': { body: { template_id: 'welcome', profile_id: '', preview: {} } },
      'POST /v1/templates/preview': { body: { template_id: '', profile_id: '', preview: {} } },
      'PUT /v1/templates/welcome': apiError(400, 'bad_request', 'invalid template: html: line 1: tag not closed', 'body'),
    })
    const user = userEvent.setup()
    renderView(<Routes><Route path="templates/*" element={<Templates />} /></Routes>, { path: '/templates/welcome' })
    const html = await screen.findByLabelText('HTML body (optional)')
    fireEvent.change(html, { target: { value: '{% if %}' } })
    await user.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(html).toHaveAccessibleDescription(/tag not closed/))
  })

  it('debounces the preview and sends the draft body and the profile', async () => {
    const calls = mockFetch({
      'GET /v1/templates/first-order-coupon': { body: rowOf(demo('first-order-coupon')) },
      'POST /v1/templates/first-order-coupon/preview': { body: { template_id: 'first-order-coupon', profile_id: 'p1', preview: { body: 'saved' } } },
      'POST /v1/templates/preview': (_u, init) => {
        const b = JSON.parse(String(init.body)) as { template: { body: string } }
        return { body: { template_id: '', profile_id: 'p1', preview: { body: `rendered: ${b.template.body}` } } }
      },
    })
    renderView(<Routes><Route path="templates/*" element={<Templates />} /></Routes>, { path: '/templates/first-order-coupon' })
    const body = await screen.findByLabelText('Body')
    vi.useFakeTimers()
    fireEvent.change(screen.getByLabelText('Profile'), { target: { value: 'email:ada@example.com' } })
    fireEvent.change(body, { target: { value: 'Hello' } })
    await vi.advanceTimersByTimeAsync(300)
    fireEvent.change(body, { target: { value: 'Hello {{ profile.first_name }}' } })
    await vi.advanceTimersByTimeAsync(599)
    expect(previewCalls(calls)).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(2)
    vi.useRealTimers()
    expect(previewCalls(calls)).toHaveLength(1)
    expect(previewCalls(calls)[0]?.url.pathname).toBe('/v1/templates/preview')
    expect(previewCalls(calls)[0]?.body).toEqual({
      template: { id: 'first-order-coupon', name: 'First order coupon (SMS)', channel: 'sms', body: 'Hello {{ profile.first_name }}' },
      profile: 'email:ada@example.com',
    })
    expect(await screen.findByText('rendered: Hello {{ profile.first_name }}')).toBeInTheDocument()
  })

  it('previews the saved template by id and renders email HTML in a sandboxed frame', async () => {
    const calls = mockFetch({
      'GET /v1/templates/welcome': { body: rowOf(demo('welcome')) },
      'POST /v1/templates/welcome/preview': {
        body: { template_id: 'welcome', profile_id: 'p1', preview: { subject: 'Welcome, Ada', html: '<h1>Welcome, Ada!</h1>' } },
      },
    })
    renderView(<Routes><Route path="templates/*" element={<Templates />} /></Routes>, { path: '/templates/welcome' })
    const frame = await screen.findByTitle('HTML body preview', {}, { timeout: 2000 })
    expect(frame).toHaveAttribute('sandbox', '')
    expect(frame).toHaveAttribute('srcdoc', '<h1>Welcome, Ada!</h1>')
    expect(screen.getByText('Welcome, Ada')).toBeInTheDocument()
    expect(previewCalls(calls)[0]?.body).toEqual({})
  })

  it('shows a render_failed error next to the part it names', async () => {
    mockFetch({
      'GET /v1/templates/welcome': { body: rowOf(demo('welcome')) },
      'POST /v1/templates/welcome/preview': apiError(
        422,
        'render_failed',
        'render subject: line 1: undefined variable profile.nickname',
      ),
    })
    renderView(<Routes><Route path="templates/*" element={<Templates />} /></Routes>, { path: '/templates/welcome' })
    const subject = await screen.findByLabelText('Subject')
    await waitFor(() => expect(subject).toHaveAccessibleDescription(/undefined variable profile\.nickname/), { timeout: 2000 })
    expect(subject).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText('HTML body (optional)')).not.toHaveAttribute('aria-invalid')
  })

  it('sends a test to the chosen profile and shows the answer', async () => {
    const calls = mockFetch({
      'GET /v1/templates/welcome': { body: rowOf(demo('welcome')) },
      'POST /v1/templates/welcome/preview': { body: { template_id: 'welcome', profile_id: 'p1', preview: {} } },
      'POST /v1/messages': { status: 202, body: { key: 'tx-123', status: 'queued', channel: 'email', template: 'welcome' } },
    })
    const user = userEvent.setup()
    renderView(<Routes><Route path="templates/*" element={<Templates />} /></Routes>, { path: '/templates/welcome' })
    const send = await screen.findByRole('button', { name: 'Send test' })
    expect(send).toBeDisabled()
    await user.type(screen.getByLabelText('Profile'), 'user_id:u-42')
    await user.click(send)
    expect(await screen.findByText('tx-123')).toBeInTheDocument()
    const post = calls.find((c) => c.url.pathname === '/v1/messages')
    expect(post?.body).toEqual({ template: 'welcome', profile: 'user_id:u-42', transactional: true })
  })

  it('asks before deleting and shows why a live journey blocks it', async () => {
    mockFetch({
      'GET /v1/templates/welcome': { body: rowOf(demo('welcome')) },
      'POST /v1/templates/welcome/preview': { body: { template_id: 'welcome', profile_id: '', preview: {} } },
      'DELETE /v1/templates/welcome': apiError(409, 'conflict', 'template "welcome" is used by live journey "onboarding"'),
    })
    const user = userEvent.setup()
    renderView(<Routes><Route path="templates/*" element={<Templates />} /></Routes>, { path: '/templates/welcome' })
    await user.click(await screen.findByRole('button', { name: 'Delete' }))
    await user.click(screen.getByRole('button', { name: 'Delete template' }))
    expect(await screen.findByText(/used by live journey "onboarding"/)).toBeInTheDocument()
  })
})
