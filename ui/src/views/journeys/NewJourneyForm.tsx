import { useId, useState } from 'react'
import { useNavigate } from 'react-router'
import { ApiError, errorMessage } from '../../api'
import { ErrorMessage } from '../../components/ErrorMessage'
import { useApi } from '../../session'
import { newDefinition } from './edit'
import { createJourney } from './journeysApi'

/** "Welcome series" → "welcome-series". */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
}

/** Creates a draft journey (an event entry and an exit) and opens it on the canvas. */
export function NewJourneyForm({ onCancel }: { onCancel: () => void }) {
  const api = useApi()
  const navigate = useNavigate()
  const nameId = useId()
  const idId = useId()
  const [name, setName] = useState('')
  const [id, setId] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ message: string; field?: string }>()
  const journeyId = id || slug(name)
  return (
    <form
      className="jr-new"
      onSubmit={async (e) => {
        e.preventDefault()
        setBusy(true)
        setError(undefined)
        try {
          const r = await createJourney(api, newDefinition(journeyId, name.trim()))
          navigate(`/journeys/${encodeURIComponent(r.id)}`)
        } catch (err) {
          setError({ message: errorMessage(err), field: err instanceof ApiError ? err.field : undefined })
          setBusy(false)
        }
      }}
    >
      <div className="jr-field">
        <label htmlFor={nameId}>Name</label>
        <input id={nameId} value={name} required onChange={(e) => setName(e.target.value)} placeholder="Welcome series" />
      </div>
      <div className="jr-field">
        <label htmlFor={idId}>Id (in URLs and the API; cannot change later)</label>
        <input
          id={idId}
          value={journeyId}
          required
          pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}"
          aria-invalid={error?.field === 'definition.id' || undefined}
          onChange={(e) => setId(e.target.value)}
        />
      </div>
      {error && <ErrorMessage message={error.message} />}
      <div className="jr-new-actions">
        <button type="submit" className="button-primary" disabled={busy || !journeyId || !name.trim()}>
          {busy ? 'Creating…' : 'Create draft'}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
