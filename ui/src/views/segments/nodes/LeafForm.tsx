import type { SegNode } from '../types'
import { AggregateForm } from './AggregateForm'
import { ChannelForm } from './ChannelForm'
import { EdgeForm } from './EdgeForm'
import { InSegmentForm } from './InSegmentForm'
import { MessageForm } from './MessageForm'
import { PerformedForm } from './PerformedForm'
import { RandomBucketForm } from './RandomBucketForm'
import { SequenceForm } from './SequenceForm'
import { SubscriptionForm } from './SubscriptionForm'
import { TraitForm } from './TraitForm'

interface Props {
  node: SegNode
  onChange: (n: SegNode) => void
}

/** The form of one condition, by its kind. */
export function LeafForm({ node: n, onChange }: Props) {
  if ('trait' in n) return <TraitForm value={n.trait} onChange={(trait) => onChange({ trait })} />
  if ('performed' in n) return <PerformedForm value={n.performed} onChange={(performed) => onChange({ performed })} />
  if ('first_performed' in n) {
    return <EdgeForm which="first" value={n.first_performed} onChange={(first_performed) => onChange({ first_performed })} />
  }
  if ('last_performed' in n) {
    return <EdgeForm which="last" value={n.last_performed} onChange={(last_performed) => onChange({ last_performed })} />
  }
  if ('sequence' in n) return <SequenceForm value={n.sequence} onChange={(sequence) => onChange({ sequence })} />
  if ('aggregate' in n) return <AggregateForm value={n.aggregate} onChange={(aggregate) => onChange({ aggregate })} />
  if ('in_segment' in n) return <InSegmentForm value={n.in_segment} onChange={(in_segment) => onChange({ in_segment })} />
  if ('random_bucket' in n) return <RandomBucketForm value={n.random_bucket} onChange={(random_bucket) => onChange({ random_bucket })} />
  if ('channel' in n) return <ChannelForm value={n.channel} onChange={(channel) => onChange({ channel })} />
  if ('subscription' in n) return <SubscriptionForm value={n.subscription} onChange={(subscription) => onChange({ subscription })} />
  if ('message' in n) return <MessageForm value={n.message} onChange={(message) => onChange({ message })} />
  if ('everyone' in n) return <p className="muted">Every profile.</p>
  return null
}
