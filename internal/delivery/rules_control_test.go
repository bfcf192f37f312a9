package delivery

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/store"
)

// profileIn returns a profile id that is (or is not) in group.
func profileIn(tb testing.TB, g policy.ControlGroup, in bool) string {
	tb.Helper()
	for i := range 1000 {
		if id := fmt.Sprintf("p%d", i); g.Contains(id) == in {
			return id
		}
	}
	tb.Fatalf("no profile with Contains = %v", in)
	return ""
}

func TestControlGroupAndHoldout(t *testing.T) {
	t.Parallel()
	half := policy.ControlGroup{Percent: 50, Salt: "2026"}
	tests := []struct {
		name       string
		settings   string
		profile    string
		holdout    bool
		tx         bool
		ignore     bool
		wantReason string // "" = sent
	}{
		{name: "journey holdout", holdout: true, wantReason: SkipHoldout},
		{name: "global control group of everyone", settings: `{"global_control_group":{"percent":100,"salt":"x"}}`,
			wantReason: SkipControlGroup},
		{name: "the holdout is checked before the control group", holdout: true,
			settings: `{"global_control_group":{"percent":100,"salt":"x"}}`, wantReason: SkipHoldout},
		{name: "transactional ignores the control group", tx: true,
			settings: `{"global_control_group":{"percent":100,"salt":"x"}}`},
		{name: "a journey set to ignore the control group", ignore: true,
			settings: `{"global_control_group":{"percent":100,"salt":"x"}}`},
		{name: "a member of a 50% control group", settings: `{"global_control_group":{"percent":50,"salt":"2026"}}`,
			profile: profileIn(t, half, true), wantReason: SkipControlGroup},
		{name: "a non-member of a 50% control group", settings: `{"global_control_group":{"percent":50,"salt":"2026"}}`,
			profile: profileIn(t, half, false)},
		{name: "no settings: no control group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			mail := e.fake("email", channel.Email)
			if tt.settings != "" {
				e.config("settings", "messaging", tt.settings)
			}
			id := orDefault(tt.profile, "p1")
			e.profile(id, map[string]any{"email": "ada@example.com"})
			e.queue("k1", id, func(_ *store.Send, p *journey.SendPayload) {
				p.Holdout, p.Transactional, p.IgnoreControl = tt.holdout, tt.tx, tt.ignore
			})
			require.Equal(t, 1, e.round())
			got, ev := e.send("k1"), e.only("k1")
			if tt.wantReason == "" {
				require.Equal(t, store.SendSent, got.Status)
				require.Len(t, mail.messages(), 1)
				require.Equal(t, journey.EventMessageSent, ev.Name)
				require.NotContains(t, ev.Props, "would_have_sent")
				return
			}
			require.Equal(t, store.SendSkipped, got.Status)
			require.Equal(t, tt.wantReason, got.Reason)
			require.Empty(t, mail.messages())
			require.Equal(t, journey.EventMessageSkipped, ev.Name)
			require.Equal(t, tt.wantReason, ev.Props["reason"])
			require.Equal(t, true, ev.Props["would_have_sent"])
			if tt.holdout {
				require.Equal(t, true, ev.Props["holdout"])
			} else {
				require.NotContains(t, ev.Props, "holdout")
			}
		})
	}
}
