package segment

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNeedsOf(t *testing.T) {
	t.Parallel()
	parse := func(src string) *Definition {
		d, err := ParseText(src)
		require.NoError(t, err, src)
		return d
	}
	vip := parse(`aggregate sum revenue of "Order Completed" within 365d >= 500`)
	lookup := func(id string) (*Definition, bool) { return vip, id == "vip" }
	tests := []struct {
		name string
		defs []*Definition
		want Needs
	}{
		{"performed without filters", []*Definition{parse(`performed "A" within 30d`)}, Needs{Events: []string{"A"}}},
		{"filters and traits", []*Definition{parse(`performed "A" where n > 1 and not trait plan = "pro" or sequence "B" then "C" within 2d`)},
			Needs{Events: []string{"A", "B", "C"}, Payload: []string{"A"}, Traits: true}},
		{"edges and channel", []*Definition{parse(`last_performed "D" has k = "x"`), parse(`channel channels ["web"] within 1d`)},
			Needs{Events: []string{"D"}, Payload: []string{"D"}, AnyEvent: true}},
		{"through in_segment", []*Definition{parse(`in_segment any ["vip", "gone"]`)},
			Needs{Events: []string{"Order Completed"}, Payload: []string{"Order Completed"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NeedsOf(tt.defs, lookup)
			if len(got.Payload) == 0 {
				got.Payload = nil
			}
			if len(got.Events) == 0 {
				got.Events = nil
			}
			require.Equal(t, tt.want, got)
		})
	}
}
