import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { apiError, mockFetch } from '../test/fetchMock'
import { renderView } from '../test/render'
import { SignIn } from './SignIn'

describe('SignIn', () => {
  it('explains where the token is and labels a password field', () => {
    mockFetch({})
    renderView(<SignIn onSignedIn={() => {}} />)
    const field = screen.getByLabelText('Admin token')
    expect(field).toHaveAttribute('type', 'password')
    expect(field).toHaveFocus()
    expect(screen.getByText('admin.token')).toBeInTheDocument()
    expect(screen.getByText('CAIRN_ADMIN_TOKEN')).toBeInTheDocument()
    expect(field).toHaveAccessibleDescription(/printed in the terminal/)
  })

  it('submits the token and reports the session', async () => {
    const session = { csrf: 'c1', expires_at: '2026-12-01T00:00:00Z' }
    const calls = mockFetch({ 'POST /v1/console/session': { body: session } })
    const onSignedIn = vi.fn()
    const { api } = renderView(<SignIn onSignedIn={onSignedIn} />)

    await userEvent.type(screen.getByLabelText('Admin token'), ' secret-token ')
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))

    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(session))
    expect(calls).toHaveLength(1)
    expect(calls[0]?.method).toBe('POST')
    expect(calls[0]?.body).toEqual({ token: 'secret-token' })
    expect(api.csrfToken).toBe('c1')
  })

  it('shows the server message next to the field when the token is wrong', async () => {
    mockFetch({
      'POST /v1/console/session': apiError(401, 'unauthorized', 'That is not the admin token of this server.'),
    })
    const onSignedIn = vi.fn()
    renderView(<SignIn onSignedIn={onSignedIn} />)

    await userEvent.type(screen.getByLabelText('Admin token'), 'wrong{Enter}')

    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('That is not the admin token of this server.')
    const field = screen.getByLabelText('Admin token')
    expect(field).toHaveAttribute('aria-invalid', 'true')
    expect(field).toHaveAccessibleDescription(/That is not the admin token/)
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled()
    expect(onSignedIn).not.toHaveBeenCalled()
  })

  it('asks for a token before calling the server', async () => {
    const calls = mockFetch({})
    renderView(<SignIn onSignedIn={() => {}} />)
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(screen.getByRole('alert')).toHaveTextContent('Enter the admin token.')
    expect(calls).toHaveLength(0)
  })
})
