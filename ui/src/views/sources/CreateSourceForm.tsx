import { useId, useRef, useState, type FormEvent } from 'react'
import { ApiError, errorMessage, type Source } from '../../api'
import { ErrorMessage } from '../../components/ErrorMessage'
import { useApi } from '../../session'
import { CHANNELS, PARTIES } from './channels'

type Field = 'name' | 'channel' | 'party'

interface Errors {
  field?: Field
  message: string
}

/** Which form field an API error is about (a name that is taken is a 409 without a field). */
function fieldOf(err: unknown): Field | undefined {
  if (!(err instanceof ApiError)) return undefined
  if (err.field === 'name' || err.field === 'channel' || err.field === 'party') return err.field
  if (err.code === 'conflict') return 'name'
  return undefined
}

/** Creates a source; its first write key goes to onCreated. Errors show next to the field they are about. */
export function CreateSourceForm({ onCreated }: { onCreated: (s: Source) => void }) {
  const api = useApi()
  const [name, setName] = useState('')
  const [channel, setChannel] = useState('web')
  const [party, setParty] = useState('first')
  const [error, setError] = useState<Errors>()
  const [busy, setBusy] = useState(false)
  const ids = { name: useId(), channel: useId(), party: useId(), error: useId(), hint: useId() }
  const refs = {
    name: useRef<HTMLInputElement>(null),
    channel: useRef<HTMLSelectElement>(null),
    party: useRef<HTMLSelectElement>(null),
  }

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!name.trim()) {
      setError({ field: 'name', message: 'Enter a name for the source, e.g. "nto-web".' })
      refs.name.current?.focus()
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      const s = await api.createSource({ name: name.trim(), channel, party })
      setName('')
      onCreated(s)
    } catch (err) {
      const field = fieldOf(err)
      setError(field ? { field, message: errorMessage(err) } : { message: errorMessage(err) })
      if (field) refs[field].current?.focus()
    } finally {
      setBusy(false)
    }
  }

  /** The aria attributes and error text of one field. */
  function invalid(f: Field) {
    const on = error?.field === f
    return {
      attrs: { 'aria-invalid': on || undefined, 'aria-describedby': on ? ids.error : f === 'name' ? ids.hint : undefined },
      message: on ? (
        <p className="field-error" id={ids.error} role="alert">
          {error.message}
        </p>
      ) : null,
    }
  }
  const n = invalid('name')
  const c = invalid('channel')
  const p = invalid('party')

  return (
    <form className="src-create" onSubmit={submit} noValidate aria-label="Create a source">
      <div className="src-create-fields">
        <div className="field">
          <label htmlFor={ids.name}>Name</label>
          <input
            ref={refs.name}
            id={ids.name}
            type="text"
            value={name}
            autoComplete="off"
            spellCheck={false}
            placeholder="nto-web"
            onChange={(e) => setName(e.target.value)}
            {...n.attrs}
          />
          {n.message ?? (
            <p className="hint" id={ids.hint}>
              One source per place events come from: a website, an app, a store system.
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.channel}>Channel</label>
          <select ref={refs.channel} id={ids.channel} value={channel} onChange={(e) => setChannel(e.target.value)} {...c.attrs}>
            {CHANNELS.map((ch) => (
              <option key={ch.value} value={ch.value}>
                {ch.label}
              </option>
            ))}
          </select>
          {c.message}
        </div>
        <div className="field">
          <label htmlFor={ids.party}>Data from</label>
          <select ref={refs.party} id={ids.party} value={party} onChange={(e) => setParty(e.target.value)} {...p.attrs}>
            {PARTIES.map((pt) => (
              <option key={pt.value} value={pt.value}>
                {pt.label}
              </option>
            ))}
          </select>
          {p.message}
        </div>
      </div>
      {error && !error.field && <ErrorMessage message={error.message} />}
      <button type="submit" className="button-primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create source'}
      </button>
    </form>
  )
}
