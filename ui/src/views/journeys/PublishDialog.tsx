import { useState } from 'react'
import { formatNumber } from '../../format'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import type { JourneyDiff } from './diff'
import { SelectField } from './forms/fields'
import type { NodeCounts } from './overlay'
import { PublishDiff } from './PublishDiff'

interface Props {
  name: string
  diff: JourneyDiff
  liveVersion: number | undefined
  /** Live numbers by step: who waits at a removed step can be moved. */
  counts: Map<string, NodeCounts>
  /** The steps of the draft, where moved customers can go. */
  targets: string[]
  busy: boolean
  onPublish: (migrate: Record<string, string>) => void
  onCancel: () => void
}

/** Confirms a publish with the diff against the live version, and offers to move customers waiting at removed steps. */
export function PublishDialog({ name, diff, liveVersion, counts, targets, busy, onPublish, onCancel }: Props) {
  const [migrate, setMigrate] = useState<Record<string, string>>({})
  const stranded = diff.removed.filter((id) => (counts.get(id)?.waiting ?? 0) > 0)
  return (
    <ConfirmDialog title={`Publish “${name}”?`} confirmLabel="Publish" tone="primary" busy={busy} onConfirm={() => onPublish(migrate)} onCancel={onCancel}>
      <PublishDiff diff={diff} liveVersion={liveVersion} />
      {stranded.length > 0 && (
        <fieldset className="jr-group jr-migrate">
          <legend>Customers waiting at removed steps</legend>
          {stranded.map((id) => (
            <SelectField
              key={id}
              label={`${formatNumber(counts.get(id)?.waiting ?? 0)} at ${id}: move them to`}
              value={migrate[id] ?? ''}
              none="Nowhere: they finish on their version"
              options={targets.map((t) => ({ value: t, label: t }))}
              onChange={(v) => setMigrate(({ [id]: _, ...rest }) => (v ? { ...rest, [id]: v } : rest))}
            />
          ))}
        </fieldset>
      )}
    </ConfirmDialog>
  )
}
