// The API calls of the Templates view (docs/api.md, "Messaging").
import { ApiError, type ApiClient } from '../../api'

/** The channels a template can be for, with the parts each allows (internal/template/model.go). */
export type Channel = 'email' | 'sms' | 'push' | 'inapp' | 'webhook' | 'direct_mail' | 'task'

/** A scalar Liquid part of a template. */
export type Part = 'subject' | 'html' | 'text' | 'title' | 'body'

export interface ChannelSpec {
  label: string
  parts: Part[]
  required: Part[]
  /** At least one of these must be filled in. */
  anyOf?: Part[]
  /** A map of extra strings: push/in-app "data", webhook "headers". */
  map?: 'data' | 'headers'
}

export const CHANNELS: Record<Channel, ChannelSpec> = {
  email: { label: 'Email', parts: ['subject', 'html', 'text'], required: ['subject'], anyOf: ['html', 'text'] },
  sms: { label: 'SMS', parts: ['body'], required: ['body'] },
  push: { label: 'Push', parts: ['title', 'body'], required: ['body'], map: 'data' },
  inapp: { label: 'In-app', parts: ['title', 'body'], required: ['body'], map: 'data' },
  webhook: { label: 'Webhook', parts: ['body'], required: ['body'], map: 'headers' },
  direct_mail: { label: 'Direct mail', parts: ['body'], required: ['body'] },
  task: { label: 'Agent task', parts: ['body'], required: ['body'] },
}

export const CHANNEL_IDS = Object.keys(CHANNELS) as Channel[]

export const PART_LABELS: Record<Part, string> = {
  subject: 'Subject',
  html: 'HTML body',
  text: 'Plain-text body',
  title: 'Title',
  body: 'Body',
}

/** A template as stored (internal/template.Template). */
export interface Template {
  id?: string
  name?: string
  channel: string
  subject?: string
  html?: string
  text?: string
  title?: string
  body?: string
  data?: Record<string, string>
  headers?: Record<string, string>
  transactional?: boolean
  tags?: string[]
}

/** One row of GET /v1/templates and the answer of GET/POST/PUT …/{id}. */
export interface TemplateRow {
  kind: string
  id: string
  body: Template
  updated_at?: string
}

/** What a preview renders (internal/template.Rendered). */
export interface Rendered {
  subject?: string
  html?: string
  text?: string
  title?: string
  body?: string
  data?: Record<string, string>
  headers?: Record<string, string>
}

export interface PreviewAnswer {
  template_id: string
  profile_id: string
  preview: Rendered
}

/** The 202 answer of POST /v1/messages: the queued send (kept loose). */
export type SendAnswer = Record<string, unknown>

/** What the editor holds: every part as text, whatever the channel. */
export interface Draft {
  id: string
  name: string
  channel: Channel
  parts: Record<Part, string>
  /** The data/headers map as JSON text. */
  map: string
  transactional: boolean
}

export function emptyDraft(channel: Channel = 'email'): Draft {
  return {
    id: '',
    name: '',
    channel,
    parts: { subject: '', html: '', text: '', title: '', body: '' },
    map: '',
    transactional: false,
  }
}

export function draftFrom(t: Template): Draft {
  const channel = (t.channel in CHANNELS ? t.channel : 'email') as Channel
  const spec = CHANNELS[channel]
  const m = spec.map ? t[spec.map] : undefined
  return {
    id: t.id ?? '',
    name: t.name ?? '',
    channel,
    parts: {
      subject: t.subject ?? '',
      html: t.html ?? '',
      text: t.text ?? '',
      title: t.title ?? '',
      body: t.body ?? '',
    },
    map: m && Object.keys(m).length > 0 ? JSON.stringify(m, null, 2) : '',
    transactional: t.transactional ?? false,
  }
}

/** Problems the console can see before asking the server, keyed by field. */
export type FieldErrors = Partial<Record<string, string>>

/** Parses the data/headers text: an object of strings, or a message. */
export function parseMap(text: string): { value?: Record<string, string>; error?: string } {
  if (text.trim() === '') return {}
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    return { error: 'Write a JSON object, e.g. {"screen": "offers"}.' }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'Write a JSON object, e.g. {"screen": "offers"}.' }
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') return { error: `The value of "${k}" must be text (Liquid is allowed).` }
  }
  return { value: v as Record<string, string> }
}

/**
 * The body the API stores for a draft: only the parts its channel allows and
 * that are filled in, plus data or headers. The id is left out when empty.
 */
export function buildBody(d: Draft): Template {
  const spec = CHANNELS[d.channel]
  const t: Template = { channel: d.channel }
  if (d.id.trim()) t.id = d.id.trim()
  if (d.name.trim()) t.name = d.name.trim()
  for (const p of spec.parts) {
    if (d.parts[p].trim() !== '') t[p] = d.parts[p]
  }
  if (spec.map) {
    const m = parseMap(d.map).value
    if (m) t[spec.map] = m
  }
  if (d.transactional) t.transactional = true
  return t
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/

/** Checks what the server would refuse, so the message sits next to the field at once. */
export function validateDraft(d: Draft, isNew: boolean): FieldErrors {
  const errs: FieldErrors = {}
  if (isNew && !ID.test(d.id.trim())) {
    errs.id = 'Give the template an id: letters, digits, _, . or -, e.g. "welcome-email".'
  }
  const spec = CHANNELS[d.channel]
  for (const p of spec.required) {
    if (d.parts[p].trim() === '') errs[p] = `${PART_LABELS[p]} is required for ${spec.label.toLowerCase()} templates.`
  }
  if (spec.anyOf && spec.anyOf.every((p) => d.parts[p].trim() === '')) {
    errs[spec.anyOf[0] ?? 'body'] = 'Write an HTML body, a plain-text body, or both.'
  }
  if (spec.map) {
    const m = parseMap(d.map)
    if (m.error) errs.map = m.error
  }
  return errs
}

/**
 * Which field an API error is about: the error's field, a problem's field, or
 * the part a render error names ("render html: line 1: …").
 */
export function errorFields(err: unknown): FieldErrors {
  const out: FieldErrors = {}
  if (!(err instanceof ApiError)) return out
  for (const p of err.problems ?? []) {
    const f = (p as { field?: string }).field ?? p.path
    if (f) out[fieldOf(f)] = p.message
  }
  const named = /render ([a-z_]+)(?:\.[^\s:]+)?:\s*(.*)$/s.exec(err.message)
  if (named?.[1]) out[fieldOf(named[1])] ??= err.message
  if (err.field && err.field !== 'body' && Object.keys(out).length === 0) out[fieldOf(err.field)] = err.message
  // "invalid template: html: line 2: …" lists problems in the message when they are not structured.
  if (Object.keys(out).length === 0) {
    for (const piece of err.message.replace(/^invalid template:\s*/, '').split('; ')) {
      const m = /^(subject|html|text|title|body|channel|id|name|data|headers)(?:\.[^:]*)?: (.*)$/s.exec(piece)
      if (m?.[1]) out[fieldOf(m[1])] = piece
    }
  }
  return out
}

function fieldOf(f: string): string {
  const head = f.split('.')[0] ?? f
  return head === 'data' || head === 'headers' ? 'map' : head
}

// --- calls -------------------------------------------------------------------

const path = (id: string) => `/v1/templates/${encodeURIComponent(id)}`

export async function listTemplates(api: ApiClient, signal?: AbortSignal): Promise<TemplateRow[]> {
  return (await api.request<{ templates: TemplateRow[] }>('/v1/templates', { signal })).templates
}

export function getTemplate(api: ApiClient, id: string, signal?: AbortSignal): Promise<TemplateRow> {
  return api.request(path(id), { signal })
}

export function createTemplate(api: ApiClient, body: Template): Promise<TemplateRow> {
  return api.request('/v1/templates', { method: 'POST', body })
}

export function updateTemplate(api: ApiClient, id: string, body: Template): Promise<TemplateRow> {
  return api.request(path(id), { method: 'PUT', body })
}

export function deleteTemplate(api: ApiClient, id: string): Promise<void> {
  return api.request(path(id), { method: 'DELETE' })
}

/** Renders the unsaved draft for a profile (POST /v1/templates/preview). */
export function previewDraft(api: ApiClient, template: Template, profile: string, signal?: AbortSignal): Promise<PreviewAnswer> {
  const body: { template: Template; profile?: string } = { template }
  if (profile.trim()) body.profile = profile.trim()
  return api.request('/v1/templates/preview', { method: 'POST', body, signal })
}

/** Renders a saved template for a profile (POST /v1/templates/{id}/preview). */
export function previewSaved(api: ApiClient, id: string, profile: string, signal?: AbortSignal): Promise<PreviewAnswer> {
  const body: { profile?: string } = {}
  if (profile.trim()) body.profile = profile.trim()
  return api.request(`${path(id)}/preview`, { method: 'POST', body, signal })
}

/** A transactional test send of a saved template (POST /v1/messages, 202). */
export function testSend(api: ApiClient, template: string, profile: string): Promise<SendAnswer> {
  return api.request('/v1/messages', {
    method: 'POST',
    body: { template, profile: profile.trim(), transactional: true },
  })
}
