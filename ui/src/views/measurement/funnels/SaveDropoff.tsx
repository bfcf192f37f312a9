import { useState } from 'react'
import { Field, fieldErrors } from '../fields'
import { RunBar } from '../RunBar'
import type { FunnelResult } from '../types'
import { useAnalysis } from '../useAnalysis'
import { funnelCall, type FunnelForm } from './request'

interface Props {
  form: FunnelForm
  /** The step the customers dropped before (2…n). */
  step: number
  stepEvent: string
  onClose: () => void
}

/**
 * Saves who dropped before a step as a live segment: runs the funnel again
 * with save_dropoff and shows the segment the server created.
 */
export function SaveDropoff({ form, step, stepEvent, onClose }: Props) {
  const [name, setName] = useState(`Dropped before ${stepEvent}`)
  const save = useAnalysis<FunnelResult>()
  const errs = fieldErrors(save.error, ['save_dropoff.name'])
  const seg = save.result?.saved_segment
  return (
    <section className="m-callout" aria-label={`Save the drop-off before step ${step}`}>
      <h3 className="m-subhead">Save the drop-off before step {step} as a segment</h3>
      <p className="muted">
        Customers who did step {step - 1} and not “{stepEvent}” within the window. The segment stays up to date:
        someone who later does the step leaves it.
      </p>
      {seg ? (
        <p role="status" className="m-saved">
          Saved the segment “{seg.name}” (<code>{seg.id}</code>, {seg.status}). Use it in a journey to win these
          customers back.
        </p>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            void save.run(funnelCall(form, { step, name }))
          }}
        >
          <Field label="Segment name" error={errs.of('save_dropoff.name')}>
            {(a) => <input {...a} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <RunBar analysis={save} general={errs.general} runLabel="Save segment" />
        </form>
      )}
      <button type="button" className="link-button m-link" onClick={onClose}>
        Close
      </button>
    </section>
  )
}
