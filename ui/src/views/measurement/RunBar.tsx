import type { AnalysisCall } from '../../api'
import { ErrorMessage } from '../../components/ErrorMessage'
import { useCsvDownload } from './download'
import { count, pct } from './format'
import type { Analysis } from './useAnalysis'

interface Props {
  analysis: Analysis<unknown>
  /** The error no control of the form is concerned by. */
  general: string | undefined
  /** The call to download as CSV (the form as it is now); none: no CSV. */
  csv?: (() => AnalysisCall) | undefined
  runLabel?: string
}

/** The Run button of an analysis form, its progress and Cancel while it runs, and the CSV download. */
export function RunBar({ analysis, general, csv, runLabel = 'Run' }: Props) {
  const running = analysis.phase === 'running'
  const csvDl = useCsvDownload()
  const p = analysis.job?.progress
  return (
    <div className="m-runbar">
      <div className="m-runbar-row">
        <button type="submit" className="button-primary" disabled={running}>
          {running ? 'Running…' : runLabel}
        </button>
        {running && (
          <button type="button" className="button-secondary" onClick={() => void analysis.cancel()}>
            Cancel
          </button>
        )}
        {csv && (
          <button
            type="button"
            className="button-secondary"
            disabled={csvDl.busy}
            onClick={() => void csvDl.download(csv())}
          >
            {csvDl.busy ? 'Preparing CSV…' : 'Download CSV'}
          </button>
        )}
      </div>
      {running && (
        <div className="m-progress" role="status">
          <progress max={1} value={p?.fraction ?? 0} aria-label="Analysis progress" />
          <span className="muted">
            {p && p.profiles_total > 0
              ? `Reading profiles: ${count(p.profiles_read)} of ${count(p.profiles_total)} (${pct(p.fraction)})`
              : 'Starting the analysis…'}
          </span>
        </div>
      )}
      {analysis.phase === 'cancelled' && (
        <p className="muted" role="status">
          The analysis was cancelled. Run it again when you are ready.
        </p>
      )}
      {general && <ErrorMessage message={general} />}
      {csvDl.error && <ErrorMessage message={`The CSV could not be downloaded: ${csvDl.error}`} />}
    </div>
  )
}
