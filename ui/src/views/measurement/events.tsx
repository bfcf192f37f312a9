// Event names to suggest: the API has no list of event names, so these are
// the common e-commerce and lifecycle events (the demo data sends them all).

export const COMMON_EVENTS = [
  'Product Viewed',
  'Product Added',
  'Cart Viewed',
  'Checkout Started',
  'Checkout Step Completed',
  'Payment Info Entered',
  'Order Completed',
  'Order Refunded',
  'Signed Up',
  'Email Opened',
  'Email Link Clicked',
  'Ad Clicked',
  'Catalog Delivered',
  'Catalog Held Out',
  'Product Reviewed',
  'Referral Sent',
  'Application Opened',
  'Goal Reached',
  'Stage Changed',
]

/** The id of the datalist every event-name input of the Measurement views uses. */
export const EVENTS_LIST = 'm-event-names'

/** The suggestions themselves, rendered once per view. */
export function EventNames() {
  return (
    <datalist id={EVENTS_LIST}>
      {COMMON_EVENTS.map((e) => (
        <option key={e} value={e} />
      ))}
    </datalist>
  )
}
