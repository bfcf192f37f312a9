import { formatValue } from '../../format'
import { isEmptyDiff, type JourneyDiff } from './diff'

const PART_LABEL: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  entry: 'Entry',
  goals: 'Goals',
  exit_criteria: 'Exit criteria',
  reentry: 'Re-entry',
  settings: 'Delivery settings',
}

const value = (v: unknown) => (v === undefined ? '(none)' : formatValue(v))

/**
 * What publishing changes against the live version; with intro, a diff
 * between two published versions (the version history) said in its words.
 */
export function PublishDiff({ diff, liveVersion, intro }: { diff: JourneyDiff; liveVersion: number | undefined; intro?: string }) {
  if (isEmptyDiff(diff)) {
    return <p>{intro ? `${intro} nothing changed.` : `The draft is the same as the live version ${liveVersion}: publishing changes nothing.`}</p>
  }
  return (
    <div className="jr-diff">
      <p>{intro ?? (liveVersion ? `Compared with the live version ${liveVersion}:` : 'Nothing is live yet: this will be version 1.')}</p>
      {diff.added.length > 0 && (
        <p>
          <strong>Steps added:</strong> {diff.added.map((id) => <code key={id} className="jr-diff-added">{id}</code>)}
        </p>
      )}
      {diff.removed.length > 0 && (
        <p>
          <strong>Steps removed:</strong> {diff.removed.map((id) => <code key={id} className="jr-diff-removed">{id}</code>)}
          <span className="hint"> Customers already in the journey stay on the version they entered.</span>
        </p>
      )}
      {diff.changed.length > 0 && (
        <>
          <p>
            <strong>Steps changed:</strong>
          </p>
          <ul>
            {diff.changed.map((c) => (
              <li key={c.id}>
                <code>{c.id}</code>
                <ul>
                  {c.changes.slice(0, 8).map((f) => (
                    <li key={f.path}>
                      {f.path}: <del>{value(f.before)}</del> → <ins>{value(f.after)}</ins>
                    </li>
                  ))}
                  {c.changes.length > 8 && <li>and {c.changes.length - 8} more</li>}
                </ul>
              </li>
            ))}
          </ul>
        </>
      )}
      {diff.parts.length > 0 && (
        <p>
          <strong>Also changed:</strong> {diff.parts.map((p) => PART_LABEL[p] ?? p).join(', ')}
        </p>
      )}
    </div>
  )
}
