import { useId, useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { errorMessage } from '../../api'
import { parseProfileRef, REF_HELP } from '../../profileRef'
import { useApi } from '../../session'

interface Props {
  value: string
  onChange: (v: string) => void
  /** A trait search (path = value) was submitted: list the matching profiles. */
  onTrait: (t: { path: string; value: string }) => void
}

/**
 * Looks a profile up by identifier or id and opens its 360° view (shows why
 * when none matches), or hands a trait search (path = value) to onTrait.
 */
export function ProfileSearch({ value, onChange, onTrait }: Props) {
  const api = useApi()
  const navigate = useNavigate()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const helpId = useId()
  const errorId = useId()

  async function submit(e: FormEvent) {
    e.preventDefault()
    const parsed = parseProfileRef(value)
    if (parsed.kind === 'empty') {
      setError(`Type what you know about the customer. ${REF_HELP}`)
      return
    }
    if (parsed.kind === 'invalid') {
      setError(parsed.message)
      return
    }
    if (parsed.kind === 'trait') {
      setError(undefined)
      onTrait({ path: parsed.path, value: parsed.value })
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      const p = await api.profile(parsed.ref)
      navigate(`/profiles/${encodeURIComponent(p.id)}`)
    } catch (err) {
      setError(errorMessage(err))
      setBusy(false)
    }
  }

  return (
    <form className="search panel" role="search" onSubmit={submit} noValidate>
      <label htmlFor="profile-search">Find a profile</label>
      <div className="search-row">
        <input
          id="profile-search"
          type="search"
          value={value}
          onChange={(e) => {
            onChange(e.target.value)
            setError(undefined)
          }}
          placeholder="pia@nto.example, +13035550142, user_id:u-123"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${helpId}` : helpId}
        />
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? 'Searching…' : 'Search'}
        </button>
      </div>
      <p className="hint" id={helpId}>
        {REF_HELP}
      </p>
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
