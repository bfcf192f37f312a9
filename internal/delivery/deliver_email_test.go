package delivery

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/email"
	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// smtpChannel registers channel "email" as the real SMTP adapter talking
// to a new emailtest server.
func (e *env) smtpChannel(opts ...emailtest.Option) *emailtest.Server {
	e.tb.Helper()
	srv := emailtest.Start(e.tb, opts...)
	s, err := email.New(email.Config{Host: srv.Host(), Port: srv.Port(), TLS: email.TLSNone, From: "news@example.com",
		FromName: "Example News", HeloName: "cairn.test", Timeout: email.Duration(10 * time.Second)}, nil, email.WithClock(e.clk))
	require.NoError(e.tb, err)
	e.channel("email", channel.Email, s)
	return srv
}

func TestMissingIdentifierAndFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		traits     map[string]any
		idents     []store.IdentityKey
		edit       func(*store.Send, *journey.SendPayload)
		wantStatus string
		wantReason string // a prefix
		wantTo     string
	}{
		{name: "no email address", traits: map[string]any{"first_name": "Ada"},
			wantStatus: store.SendSkipped, wantReason: SkipMissingIdent},
		{name: "a blank email trait", traits: map[string]any{"email": "  "},
			wantStatus: store.SendSkipped, wantReason: SkipMissingIdent},
		{name: "sms without a phone number", traits: map[string]any{"email": "ada@example.com"},
			edit:       func(s *store.Send, _ *journey.SendPayload) { s.Channel, s.TemplateID = "sms", "sms_hello" },
			wantStatus: store.SendSkipped, wantReason: SkipMissingIdent},
		{name: "the email identity stands in for a missing trait", idents: []store.IdentityKey{{Type: "email", Value: "ada@example.com"}},
			wantStatus: store.SendSent, wantTo: "ada@example.com"},
		{name: "the email trait wins over the identity", traits: map[string]any{"email": "work@example.com"},
			idents: []store.IdentityKey{{Type: "email", Value: "ada@example.com"}}, wantStatus: store.SendSent, wantTo: "work@example.com"},
		{name: "the template uses a variable the profile lacks", traits: map[string]any{"email": "ada@example.com"},
			edit:       func(s *store.Send, _ *journey.SendPayload) { s.TemplateID = "strict" },
			wantStatus: store.SendFailed, wantReason: FailRender + ": ", wantTo: "ada@example.com"},
		{name: "the template was deleted", traits: map[string]any{"email": "ada@example.com"},
			edit:       func(s *store.Send, _ *journey.SendPayload) { s.TemplateID = "gone" },
			wantStatus: store.SendFailed, wantReason: FailRender + ": ", wantTo: "ada@example.com"},
		{name: "the channel is not configured", traits: map[string]any{"email": "ada@example.com"},
			edit:       func(s *store.Send, _ *journey.SendPayload) { s.Channel = "email-eu" },
			wantStatus: store.SendFailed, wantReason: FailChannel + ": "},
		{name: "an unreadable payload", traits: map[string]any{"email": "ada@example.com"},
			edit:       func(s *store.Send, _ *journey.SendPayload) { s.Payload = json.RawMessage(`{"retries":"three"}`) },
			wantStatus: store.SendFailed, wantReason: "bad payload: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			srv := e.smtpChannel()
			e.fake("sms", channel.SMS)
			e.profile("p1", tt.traits, tt.idents...)
			e.queue("k1", "p1", tt.edit)
			require.Equal(t, 1, e.round())
			got, ev := e.send("k1"), e.only("k1")
			require.Equal(t, tt.wantStatus, got.Status, "reason %q", got.Reason)
			require.True(t, strings.HasPrefix(got.Reason, tt.wantReason), "reason %q, want prefix %q", got.Reason, tt.wantReason)
			require.Equal(t, tt.wantTo, got.To)
			msgs := srv.Messages()
			if tt.wantStatus == store.SendSent {
				require.Len(t, msgs, 1)
				require.Equal(t, []string{tt.wantTo}, msgs[0].To)
				require.Equal(t, email.MessageID("k1", "example.com"), got.ProviderID)
				require.Equal(t, got.ProviderID, ev.Props["provider_id"])
				require.Equal(t, 1, got.Attempts)
				return
			}
			require.Empty(t, msgs, "nothing reaches the SMTP server")
			require.Zero(t, got.Attempts, "no provider call was made")
			require.Equal(t, got.Reason, ev.Props["reason"])
			if tt.wantStatus == store.SendSkipped {
				require.Equal(t, journey.EventMessageSkipped, ev.Name)
				require.Equal(t, false, ev.Props["would_have_sent"])
				return
			}
			require.Equal(t, journey.EventMessageFailed, ev.Name)
		})
	}
}

// TestRenderErrorNamesTheVariable: the failure says what is missing, and
// the same SMTP server does get the next, renderable, message.
func TestRenderErrorNamesTheVariable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := e.smtpChannel()
	e.profile("p1", map[string]any{"email": "ada@example.com"})
	e.queue("strict", "p1", func(s *store.Send, _ *journey.SendPayload) { s.TemplateID = "strict" })
	require.Equal(t, 1, e.round())
	got := e.send("strict")
	require.Equal(t, store.SendFailed, got.Status)
	require.Contains(t, got.Reason, "profile.first_name")
	require.Empty(t, srv.Messages())

	e.queue("welcome", "p1", nil)
	require.Equal(t, 1, e.round())
	require.Equal(t, store.SendSent, e.send("welcome").Status)
	require.Len(t, srv.Messages(), 1)
}

// TestSMTPRejections: the server's reply code decides between failing for
// good (5xx) and retrying (4xx).
func TestSMTPRejections(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		opt        emailtest.Option
		wantStatus string
		wantReason string
	}{
		{name: "550 on the recipient fails at once", opt: emailtest.RejectRecipient("ada@example.com", 550, "no such user"),
			wantStatus: store.SendFailed, wantReason: FailProviderRefus + ": "},
		{name: "451 on the data is retried", opt: emailtest.RejectData(451, "try again later"),
			wantStatus: store.SendQueued, wantReason: "temporary failure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			srv := e.smtpChannel(tt.opt)
			e.profile("p1", map[string]any{"email": "ada@example.com"})
			e.queue("k1", "p1", nil)
			require.Equal(t, 1, e.round())
			got := e.send("k1")
			require.Equal(t, tt.wantStatus, got.Status)
			require.True(t, strings.HasPrefix(got.Reason, tt.wantReason), "reason %q", got.Reason)
			require.Equal(t, 1, got.Attempts)
			require.Empty(t, srv.Messages())
			if tt.wantStatus == store.SendQueued {
				require.True(t, got.DueAt.Equal(t0.Add(2*time.Second)))
				require.Empty(t, e.eventsOf("k1"))
				return
			}
			require.Equal(t, journey.EventMessageFailed, e.only("k1").Name)
		})
	}
}
