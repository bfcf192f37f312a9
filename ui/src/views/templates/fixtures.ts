// The demo's templates (internal/demo/examples/templates.json) as GET /v1/templates rows.
import type { Template, TemplateRow } from './templatesApi'

export const DEMO_TEMPLATES: Template[] = [
  {
    id: 'welcome',
    name: 'Welcome email',
    channel: 'email',
    subject: 'Welcome to Northern Trail Outfitters, {{ profile.first_name | default: "explorer" }}',
    html: '<h1>Welcome, {{ profile.first_name | default: "explorer" }}!</h1><p>Gear up for your next trail: <a href="https://nto.example/new-arrivals">see what\'s new</a>.</p><p><a href="{{ message.unsubscribe_url }}">Unsubscribe</a></p>',
  },
  {
    id: 'first-order-coupon',
    name: 'First order coupon (SMS)',
    channel: 'sms',
    body: 'NTO: {{ profile.first_name | default: "Hi" }}, 10% off your first order with code TRAIL10. Reply STOP to opt out.',
  },
  {
    id: 'app-welcome',
    name: 'App welcome (push)',
    channel: 'push',
    title: 'Welcome to NTO, {{ profile.first_name | default: "explorer" }}',
    body: 'Your trail guides and member offers are in the app.',
    data: { screen: 'offers' },
  },
  {
    id: 'winback-call',
    name: 'Win-back call (agent task)',
    channel: 'task',
    body: 'Call {{ profile.first_name | default: "the customer" }} {{ profile.last_name | default: "" }}: a high-value customer (lifetime revenue {{ profile.lifetime_revenue | round: 0 }}) has lapsed. Offer 20% off and ask what would bring them back.',
  },
]

export const rowOf = (t: Template): TemplateRow => ({ kind: 'template', id: t.id ?? '', body: t, updated_at: '2026-11-20T10:00:00Z' })

export const DEMO_ROWS: TemplateRow[] = DEMO_TEMPLATES.map(rowOf)

export function demo(id: string): Template {
  const t = DEMO_TEMPLATES.find((x) => x.id === id)
  if (!t) throw new Error(`no demo template ${id}`)
  return t
}
