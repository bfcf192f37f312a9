import { useState } from 'react'
import { errorMessage, isAbort, type AnalysisCall, type CsvFile } from '../../api'
import { useApi } from '../../session'

/** Saves a file the way a link with download does. */
export function saveFile(file: CsvFile): void {
  const url = URL.createObjectURL(file.blob)
  const a = document.createElement('a')
  a.href = url
  a.download = file.filename
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

export interface CsvDownload {
  busy: boolean
  error: string | undefined
  download: (call: AnalysisCall) => Promise<void>
}

/** Asks an analysis route for CSV (Accept: text/csv) and saves the answer. */
export function useCsvDownload(): CsvDownload {
  const api = useApi()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  async function download(call: AnalysisCall) {
    setBusy(true)
    setError(undefined)
    try {
      saveFile(await api.analysisCsv(call))
    } catch (err) {
      if (!isAbort(err)) setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, download }
}
