// The condition kinds the builder offers, in words, with the node each starts as.

import type { LeafKind, SegNode } from './types'

export const LEAF_KINDS: ReadonlyArray<{ kind: LeafKind; label: string; help: string }> = [
  { kind: 'performed', label: 'Did an event', help: 'performed an event, how often, in a time window' },
  { kind: 'trait', label: 'Has a trait', help: 'a profile trait such as plan or address.city' },
  { kind: 'aggregate', label: 'Event total', help: 'sum, average, count… of an event property' },
  { kind: 'sequence', label: 'Did events in order', help: 'a sequence of events, some of which must not happen' },
  { kind: 'first_performed', label: 'First time they did an event', help: 'the earliest such event' },
  { kind: 'last_performed', label: 'Last time they did an event', help: 'the latest such event' },
  { kind: 'in_segment', label: 'In other segments', help: 'membership of saved segments' },
  { kind: 'channel', label: 'Active on a channel', help: 'any event from a channel or source' },
  { kind: 'random_bucket', label: 'Random share', help: 'a stable random percentage, e.g. a holdout' },
  { kind: 'message', label: 'Message engagement', help: 'opened, clicked… Cairn’s messages (with journeys)' },
  { kind: 'subscription', label: 'Subscription', help: 'subscribed to a group (with journeys)' },
  { kind: 'everyone', label: 'Everyone', help: 'every profile' },
]

export function kindLabel(kind: string): string {
  if (kind === 'and') return 'All of'
  if (kind === 'or') return 'Any of'
  if (kind === 'not') return 'Not'
  return LEAF_KINDS.find((k) => k.kind === kind)?.label ?? kind
}

/** A new condition of a kind, filled with a typical example to edit. */
export function newNode(kind: LeafKind): SegNode {
  switch (kind) {
    case 'everyone':
      return { everyone: true }
    case 'trait':
      return { trait: { path: '', op: 'equals', value: '' } }
    case 'performed':
      return { performed: { event: 'Order Completed', window: { within: '30d' } } }
    case 'first_performed':
      return { first_performed: { event: 'Signed Up', time: { op: 'within_last', value: '30d' } } }
    case 'last_performed':
      return { last_performed: { event: 'Order Completed', time: { op: 'before_last', value: '90d' } } }
    case 'sequence':
      return { sequence: { steps: [{ event: 'Product Added' }, { event: 'Order Completed', not: true }], within: '7d' } }
    case 'aggregate':
      return { aggregate: { fn: 'sum', event: 'Order Completed', property: 'revenue', op: 'gte', value: 100 } }
    case 'in_segment':
      return { in_segment: { match: 'any', ids: [] } }
    case 'message':
      return { message: { event: 'opened', window: { within: '30d' } } }
    case 'subscription':
      return { subscription: { group: 'newsletter', state: 'subscribed' } }
    case 'random_bucket':
      return { random_bucket: { percent: 10 } }
    case 'channel':
      return { channel: { channels: [], window: { within: '90d' } } }
  }
}
