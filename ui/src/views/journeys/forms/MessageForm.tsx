import { SelectField } from './fields'
import { opt, str, type BodyFormProps } from './formTypes'

const CHANNEL_TYPES = ['email', 'sms', 'push', 'inapp', 'webhook', 'direct_mail', 'task']

/** A message: the channel, a template of that channel (GET /v1/templates), the subscription group and what happens on failure. */
export function MessageForm({ body, set, refs }: BodyFormProps) {
  const channel = str(body.channel)
  const channels = refs.channels.length ? refs.channels.map((c) => c.id) : CHANNEL_TYPES
  const type = refs.channels.find((c) => c.id === channel)?.type ?? channel
  const templates = refs.templates.filter((t) => !channel || t.channel === channel || t.channel === type)
  const groups = refs.groups.filter((g) => !channel || g.channel === channel || g.channel === type)
  return (
    <>
      <SelectField label="Channel" value={channel} options={channels.map((c) => ({ value: c, label: c }))} none="Choose a channel" onChange={(v) => set('channel', v)} />
      <SelectField
        label="Template"
        value={str(body.template)}
        none={templates.length ? 'Choose a template' : 'No templates for this channel yet'}
        options={templates.map((t) => ({ value: t.id, label: t.name ? `${t.name} (${t.id})` : t.id }))}
        onChange={(v) => set('template', v)}
      />
      <SelectField
        label="Subscription group"
        value={str(body.subscription_group)}
        none="None (every customer the channel can reach)"
        options={groups.map((g) => ({ value: g.id, label: g.name ? `${g.name} (${g.id})` : g.id }))}
        onChange={(v) => set('subscription_group', opt(v))}
        hint="Customers who opted out of the group are skipped."
      />
      <SelectField
        label="Move on"
        value={str(body.advance)}
        options={[
          { value: '', label: 'When the send has an outcome (default)' },
          { value: 'always', label: 'At once' },
        ]}
        onChange={(v) => set('advance', opt(v))}
      />
      <SelectField
        label="If the send fails"
        value={str(body.on_failure)}
        options={[
          { value: '', label: 'The customer leaves the journey (default)' },
          { value: 'skip', label: 'Go on to the next step' },
        ]}
        onChange={(v) => set('on_failure', opt(v))}
      />
    </>
  )
}
