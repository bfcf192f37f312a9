package policy

// Subscription group types.
const (
	OptIn  = "opt_in"  // only profiles that subscribed receive messages
	OptOut = "opt_out" // everyone receives messages until they unsubscribe
)

// Subscription states of a profile in a group; "" is unknown (never asked).
const (
	StateSubscribed   = "subscribed"
	StateUnsubscribed = "unsubscribed"
)

// SubscriptionGroup is a consent list on one channel, e.g. the "newsletter"
// group on email (Dittofeed's subscription groups). A journey message names
// its group, and the sender checks Subscribed at send time.
type SubscriptionGroup struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Channel string `json:"channel"`
	Type    string `json:"type"` // OptIn or OptOut
}

// Validate reports a malformed group; errors match ErrInvalid.
func (g SubscriptionGroup) Validate() error {
	switch {
	case g.ID == "":
		return invalidf("subscription group: missing id")
	case g.Channel == "":
		return invalidf("subscription group %s: missing channel", g.ID)
	case g.Type != OptIn && g.Type != OptOut:
		return invalidf("subscription group %s: type %q: want %q or %q", g.ID, g.Type, OptIn, OptOut)
	}
	return nil
}

// Subscribed reports whether a profile whose state in g is state may
// receive g's messages: an opt-in group requires "subscribed"; an opt-out
// group allows "subscribed" and unknown (""). "unsubscribed", any other
// state, and a group of unknown type refuse: consent fails closed.
func Subscribed(g SubscriptionGroup, state string) bool {
	switch g.Type {
	case OptIn:
		return state == StateSubscribed
	case OptOut:
		return state == StateSubscribed || state == ""
	}
	return false
}
