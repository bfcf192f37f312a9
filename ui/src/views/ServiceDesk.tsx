import { useId, useState, type FormEvent } from 'react'
import { errorMessage, type Profile } from '../api'
import { ErrorMessage } from '../components/ErrorMessage'
import { Page } from '../components/Page'
import { parseProfileRef } from '../profileRef'
import { useApi } from '../session'
import { AgentCard } from './agent/AgentCard'

/** The service-agent view: find the caller by phone or email and see what matters for the call. */
export function ServiceDesk() {
  const api = useApi()
  const inputId = useId()
  const [query, setQuery] = useState('')
  const [profile, setProfile] = useState<Profile>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  async function find(e: FormEvent) {
    e.preventDefault()
    const parsed = parseProfileRef(query)
    if (parsed.kind !== 'ref') {
      setError(parsed.kind === 'invalid' ? parsed.message : 'Type the caller’s phone number (+…) or email.')
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      setProfile(await api.profile(parsed.ref))
    } catch (err) {
      setProfile(undefined)
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Page title="Service desk" lead="The customer on the line: who they are, their value, recent orders, open tasks and what to offer.">
      <form className="search panel" onSubmit={find} role="search">
        <label htmlFor={inputId}>Caller’s phone or email</label>
        <div className="search-row">
          <input id={inputId} value={query} onChange={(e) => setQuery(e.target.value)} placeholder="+13035550142 or pia@nto.example" />
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? 'Finding…' : 'Find'}
          </button>
        </div>
        {error && <ErrorMessage message={error} />}
      </form>
      {profile && <AgentCard key={profile.id} profile={profile} />}
    </Page>
  )
}
