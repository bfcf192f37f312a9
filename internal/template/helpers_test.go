package template

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testVars is a realistic render context shared by the tests.
func testVars() Vars {
	return Vars{
		Profile: map[string]any{
			"id": "p1", "first_name": "Ann", "last_name": "Lee", "email": "ann@example.com",
			"vip": false, "points": 1500000.0, "nickname": nil, "empty": "",
			"address": map[string]any{"city": "Oslo", "zip": "0150"},
			"orders": []any{
				map[string]any{"sku": "A1", "price": 9.5},
				map[string]any{"sku": "B2", "price": 20.0, "gift": true},
			},
			"tags":   []any{"new", "beta"},
			"scores": []any{1.0, nil, 3.0},
		},
		Event: EventVars{
			ID: "e1", Name: "Order Completed", Timestamp: time.Date(2024, 3, 5, 14, 30, 0, 0, time.UTC),
			Properties: map[string]any{"order_id": "o-9", "total": 42.5},
		},
		Entry:   map[string]any{"plan": "pro"},
		Journey: JourneyVars{ID: "j1", Name: "Onboarding", Node: "send-welcome"},
		Message: MessageVars{
			Key: "m-1", UnsubscribeURL: "https://cairn.test/u/abc?x=1&y=2",
			Tracking: map[string]any{"utm_campaign": "spring"},
		},
		Now: time.Date(2024, 3, 6, 9, 0, 0, 0, time.UTC),
	}
}

func mustCompile(tb testing.TB, tm Template) *Compiled {
	tb.Helper()
	c, err := Compile(&tm)
	require.NoError(tb, err)
	return c
}

// renderBody renders src as the body of an SMS (a text part).
func renderBody(tb testing.TB, src string, vars Vars) (string, error) {
	tb.Helper()
	c := mustCompile(tb, Template{Name: "t", Channel: ChannelSMS, Body: src})
	out, err := c.Render(vars)
	return out.Body, err
}
