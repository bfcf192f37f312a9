package policy

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSubscriptionGroupValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		g    SubscriptionGroup
		ok   bool
	}{
		{"opt in", SubscriptionGroup{ID: "news", Name: "Newsletter", Channel: "email", Type: OptIn}, true},
		{"opt out", SubscriptionGroup{ID: "product", Channel: "email", Type: OptOut}, true},
		{"no id", SubscriptionGroup{Channel: "email", Type: OptIn}, false},
		{"no channel", SubscriptionGroup{ID: "news", Type: OptIn}, false},
		{"no type", SubscriptionGroup{ID: "news", Channel: "email"}, false},
		{"bad type", SubscriptionGroup{ID: "news", Channel: "email", Type: "optin"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.g.Validate()
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, ErrInvalid)
			}
		})
	}
}

func TestSubscribed(t *testing.T) {
	t.Parallel()
	in := SubscriptionGroup{ID: "news", Channel: "email", Type: OptIn}
	out := SubscriptionGroup{ID: "product", Channel: "email", Type: OptOut}
	broken := SubscriptionGroup{ID: "x", Channel: "email", Type: "maybe"}
	cases := []struct {
		name  string
		g     SubscriptionGroup
		state string
		want  bool
	}{
		{"opt in subscribed", in, StateSubscribed, true},
		{"opt in unknown", in, "", false},
		{"opt in unsubscribed", in, StateUnsubscribed, false},
		{"opt out subscribed", out, StateSubscribed, true},
		{"opt out unknown", out, "", true},
		{"opt out unsubscribed", out, StateUnsubscribed, false},
		{"opt out garbage state fails closed", out, "Subscribed", false},
		{"unknown type fails closed", broken, StateSubscribed, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, Subscribed(tc.g, tc.state))
		})
	}
}
