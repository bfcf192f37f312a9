import { Field } from '../../measurement/fields'
import { useBuilder } from '../BuilderContext'
import { MATCHES } from '../ops'
import type { InSegmentCond } from '../types'

interface Props {
  value: InSegmentCond
  onChange: (c: InSegmentCond) => void
}

/** in_segment: in any, all or none of the segments ticked. */
export function InSegmentForm({ value, onChange }: Props) {
  const { segments, selfId } = useBuilder()
  const others = (segments ?? []).filter((s) => s.id !== selfId)
  const unknown = value.ids.filter((id) => !others.some((s) => s.id === id))
  const toggle = (id: string, on: boolean) =>
    onChange({ ...value, ids: on ? [...value.ids, id] : value.ids.filter((x) => x !== id) })
  return (
    <div className="seg-row">
      <Field label="Membership">
        {(a) => (
          <select {...a} value={value.match} onChange={(e) => onChange({ ...value, match: e.target.value })}>
            {MATCHES.map(([m, words]) => (
              <option key={m} value={m}>
                {words}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset className="seg-choices">
        <legend>Segments</legend>
        {segments === undefined && <p className="muted">Loading segments…</p>}
        {segments !== undefined && others.length === 0 && unknown.length === 0 && (
          <p className="muted">There is no other segment yet: save one first to refer to it here.</p>
        )}
        {others.map((s) => (
          <label key={s.id} className="m-check seg-check">
            <input type="checkbox" checked={value.ids.includes(s.id)} onChange={(e) => toggle(s.id, e.target.checked)} />
            {s.name}
          </label>
        ))}
        {segments !== undefined &&
          unknown.map((id) => (
            <label key={id} className="m-check seg-check">
              <input type="checkbox" checked onChange={() => toggle(id, false)} />
              <span>
                <code>{id}</code> (not found: untick it)
              </span>
            </label>
          ))}
      </fieldset>
    </div>
  )
}
