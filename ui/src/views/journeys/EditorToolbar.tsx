import type { Busy } from './useJourneyEditor'
import type { StatusAction } from './journeysApi'

interface Props {
  status: string
  published: boolean
  dirty: boolean
  busy: Busy
  onSave: () => void
  onPublish: () => void
  onStatus: (a: StatusAction) => void
  onStop: () => void
}

/** Save (and check), publish, and the status changes a journey allows in its state. */
export function EditorToolbar({ status, published, dirty, busy, onSave, onPublish, onStatus, onStop }: Props) {
  const off = busy !== null
  return (
    <div className="jr-toolbar">
      <button type="button" className="button-secondary" onClick={onSave} disabled={off}>
        {busy === 'save' ? 'Saving…' : dirty ? 'Save draft' : 'Check draft'}
      </button>
      <button type="button" className="button-primary" onClick={onPublish} disabled={off}>
        {busy === 'publish' ? 'Publishing…' : 'Publish…'}
      </button>
      {status === 'live' && (
        <button type="button" className="button-secondary" onClick={() => onStatus('pause')} disabled={off}>
          {busy === 'pause' ? 'Pausing…' : 'Pause'}
        </button>
      )}
      {published && (status === 'paused' || status === 'stopped') && (
        <button type="button" className="button-secondary" onClick={() => onStatus('resume')} disabled={off}>
          {busy === 'resume' ? 'Resuming…' : 'Resume'}
        </button>
      )}
      {published && status !== 'stopped' && (
        <button type="button" className="button-danger" onClick={onStop} disabled={off}>
          Stop…
        </button>
      )}
    </div>
  )
}
