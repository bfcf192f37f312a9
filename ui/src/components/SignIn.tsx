import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { errorMessage, type Session } from '../api'
import { useApi } from '../session'

interface Props {
  onSignedIn: (s: Session) => void
  /** Why the sign-in view is shown, e.g. the session expired. */
  notice?: string | undefined
}

/** The sign-in form: the admin token is exchanged for a session cookie. */
export function SignIn({ onSignedIn, notice }: Props) {
  const api = useApi()
  const [token, setToken] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  const errorId = useId()
  const helpId = useId()

  useEffect(() => {
    document.title = 'Sign in · Cairn'
    input.current?.focus()
  }, [])

  async function submit(e: FormEvent) {
    e.preventDefault()
    const t = token.trim()
    if (!t) {
      setError('Enter the admin token.')
      input.current?.focus()
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      const s = await api.signIn(t)
      onSignedIn(s)
    } catch (err) {
      setError(errorMessage(err))
      setBusy(false)
      input.current?.focus()
    }
  }

  return (
    <main className="signin">
      <div className="signin-card">
        <p className="brand brand-dark" aria-hidden="true">
          Cairn
        </p>
        <h1>Sign in to Cairn</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <form onSubmit={submit} noValidate>
          <label htmlFor="admin-token">Admin token</label>
          <input
            ref={input}
            id="admin-token"
            name="token"
            type="password"
            autoComplete="current-password"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${errorId} ${helpId}` : helpId}
          />
          {error && (
            <p className="field-error" id={errorId} role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <div className="help" id={helpId}>
          <p>Where to find the admin token:</p>
          <ul>
            <li>
              it is printed in the terminal the first time <code>cairn serve</code> starts;
            </li>
            <li>
              it is stored in <code>admin.token</code> in the data folder (<code>./cairn-data/admin.token</code> by
              default);
            </li>
            <li>
              or the server was started with it in the <code>CAIRN_ADMIN_TOKEN</code> environment variable.
            </li>
          </ul>
        </div>
      </div>
    </main>
  )
}
