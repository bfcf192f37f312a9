import { useState } from 'react'
import { errorMessage } from '../../api'
import { useApi } from '../../session'
import { saveFile } from '../measurement/download'
import { segmentMembersCsv } from './segmentsApi'

/** Downloads every member as CSV (fetched with the session, saved as a file). */
export function ExportButton({ segmentId, disabled }: { segmentId: string; disabled: boolean }) {
  const api = useApi()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  async function download() {
    setBusy(true)
    setError(undefined)
    try {
      saveFile(await segmentMembersCsv(api, segmentId))
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <span className="seg-export">
      <button
        type="button"
        className="button-secondary"
        onClick={download}
        disabled={busy || disabled}
        title={disabled ? 'Only a live segment has members to export' : undefined}
      >
        {busy ? 'Exporting…' : 'Export members (CSV)'}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </span>
  )
}
