import { CHANNELS } from '../../sources/channels'
import { useBuilder } from '../BuilderContext'
import { WindowEditor } from '../parts/WindowEditor'
import type { ChannelCond } from '../types'
import { set } from './set'

interface Props {
  value: ChannelCond
  onChange: (c: ChannelCond) => void
}

function toggled(list: string[] | undefined, v: string, on: boolean): string[] | undefined {
  const next = on ? [...(list ?? []), v] : (list ?? []).filter((x) => x !== v)
  return next.length ? next : undefined
}

/** channel: any event on the ticked channels and from the ticked sources (none ticked: any) in a window. */
export function ChannelForm({ value, onChange }: Props) {
  const { sources } = useBuilder()
  return (
    <>
      <div className="seg-row">
        <fieldset className="seg-choices">
          <legend>Channels (none ticked: any)</legend>
          {CHANNELS.map((c) => (
            <label key={c.value} className="m-check seg-check">
              <input
                type="checkbox"
                checked={value.channels?.includes(c.value) ?? false}
                onChange={(e) => onChange(set(value, 'channels', toggled(value.channels, c.value, e.target.checked)))}
              />
              {c.label}
            </label>
          ))}
        </fieldset>
        <fieldset className="seg-choices">
          <legend>Sources (none ticked: any)</legend>
          {sources === undefined && <p className="muted">Loading sources…</p>}
          {sources?.map((s) => (
            <label key={s.id} className="m-check seg-check">
              <input
                type="checkbox"
                checked={value.sources?.includes(s.id) ?? false}
                onChange={(e) => onChange(set(value, 'sources', toggled(value.sources, s.id, e.target.checked)))}
              />
              {s.name}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="seg-row">
        <WindowEditor window={value.window} onChange={(w) => onChange(set(value, 'window', w))} />
      </div>
    </>
  )
}
