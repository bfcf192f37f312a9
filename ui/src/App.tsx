import { useCallback, useEffect, useMemo, useState, type ReactElement } from 'react'
import { Route, Routes } from 'react-router'
import { api as defaultApi, errorMessage, type ApiClient, type Session } from './api'
import { ErrorMessage } from './components/ErrorMessage'
import { Shell } from './components/Shell'
import { SignIn } from './components/SignIn'
import { canSee, NAV, type Role } from './nav'
import { ConsoleProvider, type ConsoleContext } from './session'
import { ComingNext } from './views/ComingNext'
import { JourneyMap } from './views/JourneyMap'
import { Journeys } from './views/Journeys'
import { Measurement } from './views/Measurement'
import { NotFound } from './views/NotFound'
import { Overview } from './views/Overview'
import { ProfileView } from './views/ProfileView'
import { Profiles } from './views/Profiles'
import { Segments } from './views/Segments'
import { ServiceDesk } from './views/ServiceDesk'
import { Sources } from './views/Sources'
import { Templates } from './views/Templates'

type State =
  | { kind: 'checking' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'signedOut'; notice?: string }
  | { kind: 'signedIn'; session: Session }

/** The routes of the built views, by the nav path that shows or hides them. */
const VIEWS: Record<string, ReactElement[]> = {
  '/': [<Route key="/" index element={<Overview />} />],
  '/profiles': [
    <Route key="/profiles" path="profiles" element={<Profiles />} />,
    <Route key="/profiles/:ref" path="profiles/:ref" element={<ProfileView />} />,
  ],
  '/sources': [<Route key="/sources" path="sources/*" element={<Sources />} />],
  '/segments': [<Route key="/segments" path="segments/*" element={<Segments />} />],
  '/journeys': [<Route key="/journeys" path="journeys/*" element={<Journeys />} />],
  '/service': [<Route key="/service" path="service" element={<ServiceDesk />} />],
  '/templates': [<Route key="/templates" path="templates/*" element={<Templates />} />],
  '/measurement': [<Route key="/measurement" path="measurement/*" element={<Measurement />} />],
  '/journey-map': [<Route key="/journey-map" path="journey-map" element={<JourneyMap />} />],
}

/**
 * The console: asks the server whether the session cookie is valid, shows the
 * sign-in view when it is not (or when any call answers 401), else the shell.
 */
export function App({ client = defaultApi }: { client?: ApiClient }) {
  const [state, setState] = useState<State>({ kind: 'checking' })
  const [attempt, setAttempt] = useState(0)
  // Everyone is an admin until roles arrive; the nav and routes already filter by role.
  const role: Role = 'admin'

  useEffect(() => {
    const ctl = new AbortController()
    client.getSession(ctl.signal).then(
      (s) => setState(s ? { kind: 'signedIn', session: s } : { kind: 'signedOut' }),
      (err: unknown) => {
        if (!ctl.signal.aborted) setState({ kind: 'unreachable', message: errorMessage(err) })
      },
    )
    return () => ctl.abort()
  }, [client, attempt])

  useEffect(
    () =>
      client.onSessionEnded(() =>
        setState((s) =>
          s.kind === 'signedIn' ? { kind: 'signedOut', notice: 'Your session has ended. Sign in again to continue.' } : s,
        ),
      ),
    [client],
  )

  const signOut = useCallback(async () => {
    await client.signOut()
    setState({ kind: 'signedOut', notice: 'You are signed out.' })
  }, [client])

  const ctx = useMemo<ConsoleContext>(() => ({ api: client, role, signOut }), [client, role, signOut])

  switch (state.kind) {
    case 'checking':
      return (
        <main className="signin">
          <p className="muted" role="status">
            Loading the console…
          </p>
        </main>
      )
    case 'unreachable':
      return (
        <main className="signin">
          <div className="signin-card">
            <h1>Cairn is not answering</h1>
            <ErrorMessage message={state.message} onRetry={() => setAttempt((a) => a + 1)} />
          </div>
        </main>
      )
    case 'signedOut':
      return (
        <ConsoleProvider value={ctx}>
          <SignIn notice={state.notice} onSignedIn={(s) => setState({ kind: 'signedIn', session: s })} />
        </ConsoleProvider>
      )
    case 'signedIn':
      return (
        <ConsoleProvider value={ctx}>
          <Routes>
            <Route element={<Shell />}>
              {NAV.filter((item) => canSee(item, role)).flatMap((item) =>
                item.comingNext
                  ? [<Route key={item.path} path={item.path.slice(1)} element={<ComingNext item={item} />} />]
                  : (VIEWS[item.path] ?? []),
              )}
              <Route path="*" element={<NotFound />} />
            </Route>
          </Routes>
        </ConsoleProvider>
      )
  }
}
