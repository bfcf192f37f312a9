import { useState } from 'react'
import { NavLink, Outlet } from 'react-router'
import { errorMessage } from '../api'
import { visibleNav } from '../nav'
import { useConsole } from '../session'

/** The signed-in layout: skip link, sidebar navigation, sign-out, and the current view. */
export function Shell() {
  const { role, signOut } = useConsole()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  async function onSignOut() {
    setBusy(true)
    setError(undefined)
    try {
      await signOut()
    } catch (err) {
      setError(errorMessage(err))
      setBusy(false)
    }
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <p className="brand">Cairn</p>
        <nav aria-label="Console">
          <ul>
            {visibleNav(role).map((item) => (
              <li key={item.path}>
                <NavLink to={item.path} end={item.path === '/'}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          <button type="button" className="button-quiet" onClick={onSignOut} disabled={busy}>
            Sign out
          </button>
          {error && (
            <p className="field-error on-dark" role="alert">
              {error}
            </p>
          )}
        </div>
      </aside>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  )
}
