package delivery

import (
	"maps"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

func TestConsentAndSuppression(t *testing.T) {
	t.Parallel()
	type sub struct{ group, state string }
	tests := []struct {
		name          string
		traits        map[string]any
		subs          []sub
		suppress      string // suppressed email address
		group         string
		template      string
		transactional bool
		wantStatus    string
		wantReason    string
	}{
		{name: "opt-in group without any state", group: "newsletter",
			wantStatus: store.SendSkipped, wantReason: SkipConsent},
		{name: "opt-in group with consent trait yes", group: "newsletter", traits: map[string]any{"consent.email": true},
			wantStatus: store.SendSent},
		{name: "opt-in group with recorded subscription", group: "newsletter", subs: []sub{{"newsletter", "subscribed"}},
			wantStatus: store.SendSent},
		{name: "opt-in: recorded unsubscribe wins over trait yes", group: "newsletter",
			traits: map[string]any{"consent.email": true}, subs: []sub{{"newsletter", "unsubscribed"}},
			wantStatus: store.SendSkipped, wantReason: SkipConsent},
		{name: "opt-out group without state", group: "updates", wantStatus: store.SendSent},
		{name: "opt-out group with consent trait no", group: "updates", traits: map[string]any{"consent.email": false},
			wantStatus: store.SendSkipped, wantReason: SkipConsent},
		{name: "opt-out: recorded subscription wins over trait no", group: "updates",
			traits: map[string]any{"consent.email": false}, subs: []sub{{"updates", "subscribed"}},
			wantStatus: store.SendSent},
		{name: "opt-out: consent trait of another channel is ignored", group: "updates",
			traits: map[string]any{"consent.sms": false}, wantStatus: store.SendSent},
		{name: "unsubscribed from all email skips marketing", subs: []sub{{AllGroup("email"), "unsubscribed"}},
			wantStatus: store.SendSkipped, wantReason: SkipConsent},
		{name: "unsubscribed from all email skips a grouped send too", group: "updates", subs: []sub{{AllGroup("email"), "unsubscribed"}},
			wantStatus: store.SendSkipped, wantReason: SkipConsent},
		{name: "unsubscribed from all email still gets transactional", subs: []sub{{AllGroup("email"), "unsubscribed"}},
			transactional: true, wantStatus: store.SendSent},
		{name: "a transactional template is transactional without the payload flag", template: "receipt",
			subs: []sub{{AllGroup("email"), "unsubscribed"}}, wantStatus: store.SendSent},
		{name: "unsubscribed from all sms does not stop email", subs: []sub{{AllGroup("sms"), "unsubscribed"}},
			wantStatus: store.SendSent},
		{name: "resubscribed to all email", subs: []sub{{AllGroup("email"), "subscribed"}}, wantStatus: store.SendSent},
		{name: "suppressed address skips marketing", suppress: "ada@example.com",
			wantStatus: store.SendSkipped, wantReason: SkipSuppressed},
		{name: "suppressed address skips transactional", suppress: "ada@example.com", transactional: true,
			wantStatus: store.SendSkipped, wantReason: SkipSuppressed},
		{name: "suppression matches a mixed-case email trait", suppress: "ada@example.com",
			traits: map[string]any{"email": " Ada@Example.COM"}, wantStatus: store.SendSkipped, wantReason: SkipSuppressed},
		{name: "suppression of another address", suppress: "bob@example.com", wantStatus: store.SendSent},
		{name: "a deleted subscription group fails closed", group: "gone",
			wantStatus: store.SendSkipped, wantReason: SkipConsent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			ctx := t.Context()
			mail := e.fake("email", channel.Email)
			e.config("subscription_group", "newsletter", `{"id":"newsletter","name":"Newsletter","channel":"email","type":"opt_in"}`)
			e.config("subscription_group", "updates", `{"id":"updates","name":"Updates","channel":"email","type":"opt_out"}`)
			traits := map[string]any{"email": "ada@example.com", "first_name": "Ada"}
			maps.Copy(traits, tt.traits)
			e.profile("p1", traits)
			for _, s := range tt.subs {
				require.NoError(t, e.st.SetSubscription(ctx, store.Subscription{ProfileID: "p1", GroupID: s.group, State: s.state, UpdatedAt: t0, Source: "api"}))
			}
			if tt.suppress != "" {
				require.NoError(t, e.st.AddSuppression(ctx, store.Suppression{Channel: "email", Address: tt.suppress, Reason: "bounce", CreatedAt: t0}))
			}
			e.queue("k1", "p1", func(s *store.Send, p *journey.SendPayload) {
				p.Group, p.Transactional = tt.group, tt.transactional
				if tt.template != "" {
					s.TemplateID, p.Template = tt.template, tt.template
				}
			})

			require.Equal(t, 1, e.round())
			got := e.send("k1")
			require.Equal(t, tt.wantStatus, got.Status)
			require.Equal(t, tt.wantReason, got.Reason)
			ev := e.only("k1")
			if tt.wantStatus == store.SendSent {
				require.Len(t, mail.messages(), 1)
				require.Equal(t, journey.EventMessageSent, ev.Name)
				require.NotContains(t, ev.Props, "reason")
				return
			}
			require.Empty(t, mail.messages(), "a skipped send reaches no adapter")
			require.Equal(t, journey.EventMessageSkipped, ev.Name)
			require.Equal(t, tt.wantReason, ev.Props["reason"])
			require.NotContains(t, ev.Props, "would_have_sent", "consent skips are not counterfactual sends")
			require.Zero(t, got.Attempts, "no provider call was made")
		})
	}
}

// TestSuppressionMatchesNormalizedPhone: the phone trait is written as the
// customer typed it; the suppression list and the phone identity hold E.164.
func TestSuppressionMatchesNormalizedPhone(t *testing.T) {
	t.Parallel()
	for _, suppressed := range []bool{true, false} {
		e := newEnv(t)
		text := e.fake("sms", channel.SMS)
		e.profile("p1", map[string]any{"phone": "(415) 555-0100"}, store.IdentityKey{Type: "phone", Value: "+14155550100"})
		if suppressed {
			require.NoError(t, e.st.AddSuppression(t.Context(), store.Suppression{Channel: "sms", Address: "+14155550100", Reason: "STOP", CreatedAt: t0}))
		}
		e.queue("k1", "p1", func(s *store.Send, p *journey.SendPayload) {
			s.Channel, s.TemplateID, p.Template, p.Transactional = "sms", "sms_hello", "sms_hello", true
		})
		require.Equal(t, 1, e.round())
		if suppressed {
			require.Equal(t, SkipSuppressed, e.send("k1").Reason)
			require.Empty(t, text.messages())
			continue
		}
		require.Equal(t, store.SendSent, e.send("k1").Status)
		require.Len(t, text.messages(), 1)
	}
}
