import { useState } from 'react'
import { fieldErrors } from '../fields'
import { count } from '../format'
import { RunBar } from '../RunBar'
import type { ClvApplyResult } from '../typesModels'
import { useAnalysis } from '../useAnalysis'
import { clvApplyCall, type ClvForm } from './request'

/** Writes p_alive, predicted_purchases_90d and predicted_clv onto every customer, after a confirmation. */
export function ApplyTraits({ form, customers }: { form: ClvForm; customers: number }) {
  const [asking, setAsking] = useState(false)
  const apply = useAnalysis<ClvApplyResult>()
  const errs = fieldErrors(apply.error, [])
  const done = apply.result
  if (done) {
    return (
      <p role="status" className="m-saved">
        Wrote {done.traits.join(', ')} on {count(done.profiles_changed)} of {count(done.customers)} customers.
      </p>
    )
  }
  if (!asking) {
    return (
      <button type="button" className="button-secondary" onClick={() => setAsking(true)}>
        Apply as traits…
      </button>
    )
  }
  return (
    <form
      className="m-confirm"
      role="group"
      aria-label="Confirm applying the predictions as traits"
      onSubmit={(e) => {
        e.preventDefault()
        void apply.run(clvApplyCall(form))
      }}
    >
      <p>
        Write <code>p_alive</code>, <code>predicted_purchases_90d</code> and <code>predicted_clv</code> on all{' '}
        {count(customers)} customers? Earlier values are replaced, and segments that read them are re-evaluated.
      </p>
      <RunBar analysis={apply} general={errs.general} runLabel="Apply to all customers" />
      {apply.phase !== 'running' && (
        <button type="button" className="link-button m-link" onClick={() => setAsking(false)}>
          Don’t apply
        </button>
      )}
    </form>
  )
}
