import { isObject } from '../types'
import { JsonField, SelectField, TextField } from './fields'
import { opt, str, type BodyFormProps } from './formTypes'

/** An update: traits to set, unset and increment, and a note on the timeline. */
export function UpdateForm({ body, set }: BodyFormProps) {
  const unset = Array.isArray(body.unset) ? (body.unset as string[]) : []
  return (
    <>
      <JsonField label="Set traits" value={body.set} onChange={(v) => set('set', isObject(v) ? v : undefined)} hint={<>e.g. <code>{'{"vip": true}'}</code></>} rows={3} />
      <TextField
        label="Remove traits"
        value={unset.join(', ')}
        onChange={(v) => {
          const names = v.split(',').map((s) => s.trim()).filter(Boolean)
          set('unset', names.length ? names : undefined)
        }}
        hint="Trait paths, separated by commas"
      />
      <JsonField label="Increment traits" value={body.increment} onChange={(v) => set('increment', isObject(v) ? v : undefined)} hint={<>e.g. <code>{'{"offers_sent": 1}'}</code></>} rows={3} />
      <TextField label="Note" value={str(body.note)} onChange={(v) => set('note', opt(v))} />
    </>
  )
}

/** A webhook: a configured webhook channel or a URL, and a body template or an inline Liquid body. */
export function WebhookForm({ body, set, refs }: BodyFormProps) {
  const byChannel = typeof body.channel === 'string'
  const hooks = refs.channels.filter((c) => c.type === 'webhook')
  return (
    <>
      <SelectField
        label="Send to"
        value={byChannel ? 'channel' : 'url'}
        options={[
          { value: 'url', label: 'A URL' },
          { value: 'channel', label: 'A configured webhook channel' },
        ]}
        onChange={(v) => {
          set(v === 'channel' ? 'url' : 'channel', undefined)
          set(v, v === 'channel' ? (hooks[0]?.id ?? '') : 'https://')
        }}
      />
      {byChannel ? (
        <SelectField label="Webhook channel" value={str(body.channel)} none="Choose a channel" options={hooks.map((c) => ({ value: c.id, label: c.id }))} onChange={(v) => set('channel', v)} />
      ) : (
        <TextField label="URL" type="url" value={str(body.url)} onChange={(v) => set('url', v)} />
      )}
      <SelectField
        label="Body template"
        value={str(body.template)}
        none="None (inline body below)"
        options={refs.templates.filter((t) => t.channel === 'webhook').map((t) => ({ value: t.id, label: t.name || t.id }))}
        onChange={(v) => set('template', opt(v))}
      />
      {!body.template && <TextField label="Inline body (Liquid JSON)" value={str(body.body)} onChange={(v) => set('body', opt(v))} />}
    </>
  )
}

/** A jump: leave this journey and enter another one's live version. */
export function JumpForm({ body, set, refs }: BodyFormProps) {
  return (
    <SelectField
      label="Journey to enter"
      value={str(body.journey)}
      none="Choose a journey"
      options={refs.journeys.filter((j) => j.id !== refs.journeyId).map((j) => ({ value: j.id, label: j.name || j.id }))}
      onChange={(v) => set('journey', v)}
    />
  )
}
