import { isObject } from '../types'
import { JsonField, SelectField, TextField } from './fields'
import { opt, str, type BodyFormProps } from './formTypes'

const TYPES = [
  { value: 'event', label: 'An event' },
  { value: 'segment', label: 'Entering or leaving a segment' },
  { value: 'schedule', label: 'A schedule (a segment’s members)' },
  { value: 'api', label: 'An API call' },
]
const FRESH: Record<string, unknown> = { event: { name: '' }, segment: { id: '' }, schedule: { segment: '', at: '' }, api: {} }

/** The entry (body = definition.entry): what starts an instance. The first step is chosen below. */
export function EntryForm({ body, set, refs }: BodyFormProps) {
  const type = TYPES.find((t) => isObject(body[t.value]))?.value ?? 'event'
  const ev = isObject(body.event) ? body.event : {}
  const seg = isObject(body.segment) ? body.segment : {}
  const sch = isObject(body.schedule) ? body.schedule : {}
  const segments = refs.segments.map((s) => ({ value: s.id, label: s.name || s.id }))
  return (
    <>
      <SelectField
        label="Customers enter on"
        value={type}
        options={TYPES}
        onChange={(v) => {
          for (const t of TYPES) if (t.value !== v) set(t.value, undefined)
          set(v, FRESH[v])
        }}
      />
      {type === 'event' && (
        <>
          <TextField label="Event name" value={str(ev.name)} onChange={(v) => set('event.name', v)} placeholder="Signed Up" />
          <JsonField label="Only when (filters)" value={ev.where} onChange={(v) => set('event.where', v)} rows={3}
            hint={<>Segment-language filters, e.g. <code>{'[{"property":"plan","op":"equals","value":"pro"}]'}</code></>} />
          <TextField label="One instance per value of" value={str(ev.key)} onChange={(v) => set('event.key', opt(v))} hint="An event property such as cart_id; empty: one instance per customer" />
        </>
      )}
      {type === 'segment' && (
        <>
          <SelectField label="Segment" value={str(seg.id)} none="Choose a segment" options={segments} onChange={(v) => set('segment.id', v)} />
          <SelectField label="When the customer" value={str(seg.on)} options={[{ value: '', label: 'enters it' }, { value: 'exit', label: 'leaves it' }]} onChange={(v) => set('segment.on', opt(v))} />
        </>
      )}
      {type === 'schedule' && (
        <>
          <SelectField label="Segment" value={str(sch.segment)} none="Choose a segment" options={segments} onChange={(v) => set('schedule.segment', v)} />
          <TextField label="First run" value={str(sch.at)} onChange={(v) => set('schedule.at', v)} hint="RFC 3339, e.g. 2026-12-01T09:00:00Z" />
          <TextField label="Repeat every" value={str(sch.every)} onChange={(v) => set('schedule.every', opt(v))} hint="e.g. 1d or 1w; empty runs once" />
          <TextField label="At local time" type="time" value={str(sch.local_time)} onChange={(v) => set('schedule.local_time', opt(v))} />
        </>
      )}
      {type === 'api' && <p className="hint">Enter customers with POST /v1/journeys/{refs.journeyId}/entries.</p>}
    </>
  )
}
