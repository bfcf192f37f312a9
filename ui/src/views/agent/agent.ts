import type { Profile, TimelineEvent } from '../../api'

/** A past order as the agent sees it. */
export interface Order {
  at: string
  id: string
  revenue: number | undefined
  channel: string
  items: string[]
}

function props(e: TimelineEvent): Record<string, unknown> {
  const p = (e.payload as { properties?: Record<string, unknown> } | undefined)?.properties
  return p ?? {}
}

/** Orders from Order Completed events (Segment e-commerce spec), newest first. */
export function ordersOf(events: TimelineEvent[]): Order[] {
  return events
    .filter((e) => e.event === 'Order Completed')
    .map((e) => {
      const p = props(e)
      const products = Array.isArray(p.products) ? (p.products as Array<Record<string, unknown>>) : []
      return {
        at: e.timestamp,
        id: typeof p.order_id === 'string' ? p.order_id : '',
        revenue: typeof p.revenue === 'number' ? p.revenue : typeof p.total === 'number' ? p.total : undefined,
        channel: e.channel,
        items: products.map((x) => String(x.name ?? x.sku ?? '')).filter((x) => x !== ''),
      }
    })
}

/**
 * What the customer has been looking at: the product categories of their
 * recent Product Viewed / Product Added events, most frequent first — a
 * starting point for what to offer.
 */
export function interests(events: TimelineEvent[], top = 3): Array<{ category: string; count: number }> {
  const counts = new Map<string, number>()
  for (const e of events) {
    if (e.event !== 'Product Viewed' && e.event !== 'Product Added') continue
    const c = props(e).category
    if (typeof c === 'string' && c !== '') counts.set(c, (counts.get(c) ?? 0) + 1)
  }
  return [...counts.entries()]
    .map(([category, count]) => ({ category, count }))
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category))
    .slice(0, top)
}

/** The first identity of a type. */
export function identity(p: Profile, type: string): string | undefined {
  return p.identities.find((i) => i.type === type)?.value
}

/** A trait as text, or undefined. */
export function trait(p: Profile, path: string): string | undefined {
  const v = p.traits[path]
  if (v === undefined || v === null || v === '') return undefined
  return typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v)
}
