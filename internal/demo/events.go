package demo

// evKind is one kind of emitted event: a Segment call type and, for track
// calls, the event name. Counting by kind is how Stats.ByEvent is filled.
type evKind uint8

const (
	evIdentify evKind = iota
	evPage
	evScreen
	evGroup
	evAlias
	evProductsSearched
	evProductListViewed
	evProductViewed
	evProductAdded
	evProductRemoved
	evCartViewed
	evCheckoutStarted
	evCheckoutStepCompleted
	evPaymentInfoEntered
	evOrderCompleted
	evOrderRefunded
	evCouponEntered
	evCouponApplied
	evCouponRedeemed
	evProductReviewed
	evProductShared
	evSignedUp
	evAppInstalled
	evAppOpened
	evPushTapped
	evEmailOpened
	evEmailClicked
	evUnsubscribed
	evAdClicked
	evCallCompleted
	evTicketCreated
	evGuideDownloaded
	evReferralSent
	evCatalogDelivered
	evClubEvent
	evCatalogHeldOut
	numKinds
)

type kindInfo struct {
	typ  string // Segment call type
	name string // track event name; the type for other calls (Stats key)
}

var kinds = [numKinds]kindInfo{
	evIdentify:              {"identify", "identify"},
	evPage:                  {"page", "page"},
	evScreen:                {"screen", "screen"},
	evGroup:                 {"group", "group"},
	evAlias:                 {"alias", "alias"},
	evProductsSearched:      {"track", "Products Searched"},
	evProductListViewed:     {"track", "Product List Viewed"},
	evProductViewed:         {"track", "Product Viewed"},
	evProductAdded:          {"track", "Product Added"},
	evProductRemoved:        {"track", "Product Removed"},
	evCartViewed:            {"track", "Cart Viewed"},
	evCheckoutStarted:       {"track", "Checkout Started"},
	evCheckoutStepCompleted: {"track", "Checkout Step Completed"},
	evPaymentInfoEntered:    {"track", "Payment Info Entered"},
	evOrderCompleted:        {"track", "Order Completed"},
	evOrderRefunded:         {"track", "Order Refunded"},
	evCouponEntered:         {"track", "Coupon Entered"},
	evCouponApplied:         {"track", "Coupon Applied"},
	evCouponRedeemed:        {"track", "Coupon Redeemed"},
	evProductReviewed:       {"track", "Product Reviewed"},
	evProductShared:         {"track", "Product Shared"},
	evSignedUp:              {"track", "Signed Up"},
	evAppInstalled:          {"track", "Application Installed"},
	evAppOpened:             {"track", "Application Opened"},
	evPushTapped:            {"track", "Push Notification Tapped"},
	evEmailOpened:           {"track", "Email Opened"},
	evEmailClicked:          {"track", "Email Link Clicked"},
	evUnsubscribed:          {"track", "Unsubscribed"},
	evAdClicked:             {"track", "Ad Clicked"},
	evCallCompleted:         {"track", "Call Completed"},
	evTicketCreated:         {"track", "Support Ticket Created"},
	evGuideDownloaded:       {"track", "Guide Downloaded"},
	evReferralSent:          {"track", "Referral Sent"},
	evCatalogDelivered:      {"track", "Catalog Delivered"},
	evClubEvent:             {"track", "Club Event Attended"},
	evCatalogHeldOut:        {"track", "Catalog Held Out"},
}
