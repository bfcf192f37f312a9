import { useState } from 'react'
import { errorMessage } from '../../api'
import { useApi } from '../../session'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { deleteSegment } from './segmentsApi'
import type { SegmentDetail } from './types'

/** Delete, after confirming; a segment used by another one's in_segment cannot go (the server says which). */
export function DeleteSegment({ segment, onDeleted }: { segment: SegmentDetail; onDeleted: () => void }) {
  const api = useApi()
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  async function confirm() {
    setBusy(true)
    setError(undefined)
    try {
      await deleteSegment(api, segment.id)
      onDeleted()
    } catch (err) {
      setError(errorMessage(err))
      setBusy(false)
    }
  }
  return (
    <>
      <button type="button" className="button-danger" onClick={() => setOpen(true)}>
        Delete
      </button>
      {open && (
        <ConfirmDialog
          title={`Delete “${segment.name}”?`}
          confirmLabel="Delete segment"
          busy={busy}
          error={error}
          onConfirm={confirm}
          onCancel={() => {
            setOpen(false)
            setError(undefined)
          }}
        >
          <p>
            Its members are cleared and it disappears from the list; its versions are kept and its name becomes free
            again. A segment that another segment refers to (“In other segments”) cannot be deleted.
          </p>
        </ConfirmDialog>
      )}
    </>
  )
}
