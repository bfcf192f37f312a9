import { useEffect, useId, useState } from 'react'
import { errorMessage, isAbort } from '../../../api'
import { useApi } from '../../../session'
import { conditionForms } from '../journeysApi'
import { JsonField } from './fields'

interface Props {
  label: string
  value: unknown
  onChange: (v: unknown) => void
}

const JSON_HINT = (
  <>
    The segment language as JSON, e.g. <code>{'{"trait":{"path":"vip","op":"equals","value":true}}'}</code>.
  </>
)

/**
 * A segment-language condition, written as text (converted to the JSON the
 * journey stores by the server's segment preview) or as JSON.
 */
export function ConditionField({ label, value, onChange }: Props) {
  const api = useApi()
  const id = useId()
  const [mode, setMode] = useState<'text' | 'json'>('text')
  const [text, setText] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const key = JSON.stringify(value ?? null)

  useEffect(() => {
    if (mode !== 'text') return
    if (value === undefined) return setText('')
    const ctl = new AbortController()
    conditionForms(api, { definition: value }, ctl.signal).then(
      (f) => setText(f.text),
      (err: unknown) => {
        if (isAbort(err) || ctl.signal.aborted) return
        setError(`The text form is not available here (${errorMessage(err)}); edit the JSON.`)
        setMode('json')
      },
    )
    return () => ctl.abort()
    // The text is reloaded when the stored condition changes, not while typing.
  }, [api, mode, key])

  const apply = async () => {
    setBusy(true)
    setError(undefined)
    try {
      const f = await conditionForms(api, { text })
      onChange(f.definition)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="jr-condition">
      <div className="jr-condition-modes" role="group" aria-label={`${label}: write as`}>
        {(['text', 'json'] as const).map((m) => (
          <button key={m} type="button" className="button-secondary jr-small" aria-pressed={mode === m} onClick={() => { setError(undefined); setMode(m) }}>
            {m === 'text' ? 'Text' : 'JSON'}
          </button>
        ))}
      </div>
      {mode === 'json' ? (
        <>
          <JsonField label={label} value={value} onChange={onChange} hint={JSON_HINT} rows={6} />
          {error && <p className="hint">{error}</p>}
        </>
      ) : (
        <div className="jr-field">
          <label htmlFor={id}>{label}</label>
          <textarea id={id} className="jr-json" rows={3} value={text} spellCheck={false} aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-msg`} onChange={(e) => setText(e.target.value)} />
          <p id={`${id}-msg`} className={error ? 'field-error' : 'hint'}>
            {error ?? <>e.g. <code>trait vip = true and performed "Order Completed" within 30d</code></>}
          </p>
          <button type="button" className="button-secondary jr-small" onClick={apply} disabled={busy || !text.trim()}>
            {busy ? 'Checking…' : 'Use this condition'}
          </button>
        </div>
      )}
    </div>
  )
}
