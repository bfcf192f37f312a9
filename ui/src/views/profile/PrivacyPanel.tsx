import { useId, useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { errorMessage } from '../../api'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Panel } from '../../components/Panel'
import { useApi } from '../../session'
import { saveFile } from '../measurement/download'
import { eraseProfile, exportProfile } from './profileActionsApi'

/**
 * The customer's data rights: export everything held about them as JSON, and
 * erase them everywhere, confirmed by typing ERASE (it cannot be undone).
 */
export function PrivacyPanel({ profileId, label }: { profileId: string; label: string }) {
  const api = useApi()
  const navigate = useNavigate()
  const confirmId = useId()
  const [busy, setBusy] = useState<'' | 'export' | 'erase'>('')
  const [error, setError] = useState<string>()
  const [confirming, setConfirming] = useState(false)
  const [typed, setTyped] = useState('')

  async function doExport() {
    setBusy('export')
    setError(undefined)
    try {
      saveFile({ blob: await exportProfile(api, profileId), filename: `profile-${profileId}.json` })
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy('')
    }
  }

  async function doErase(e: FormEvent) {
    e.preventDefault()
    if (typed !== 'ERASE') return
    setBusy('erase')
    setError(undefined)
    try {
      const rep = await eraseProfile(api, profileId)
      navigate('/profiles', { state: { notice: `Erased ${label}: ${rep.identifiers} identifiers and ${rep.events} events removed.` } })
    } catch (err) {
      setError(errorMessage(err))
      setBusy('')
    }
  }

  return (
    <Panel title="Privacy" className="span-all">
      <p>Export everything Cairn holds about this customer, or erase them everywhere (both are audited).</p>
      <div className="button-row">
        <button type="button" className="button-secondary" onClick={doExport} disabled={busy !== ''}>
          {busy === 'export' ? 'Exporting…' : 'Export as JSON'}
        </button>
        {!confirming && (
          <button type="button" className="button-danger" onClick={() => setConfirming(true)} disabled={busy !== ''}>
            Erase this customer…
          </button>
        )}
      </div>
      {confirming && (
        <form className="erase-confirm" onSubmit={doErase}>
          <p>
            <strong>This cannot be undone.</strong> The profile, identities, traits, events, segment and journey state
            of {label} are deleted, and later events for them are dropped.
          </p>
          <label htmlFor={confirmId}>Type ERASE to confirm</label>
          <input id={confirmId} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
          <div className="button-row">
            <button type="submit" className="button-danger" disabled={typed !== 'ERASE' || busy !== ''}>
              {busy === 'erase' ? 'Erasing…' : 'Erase'}
            </button>
            <button type="button" className="button-secondary" onClick={() => { setConfirming(false); setTyped('') }}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {error && <ErrorMessage message={error} />}
    </Panel>
  )
}
