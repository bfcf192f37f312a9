package delivery

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/webhook"
	"github.com/cairn-cdp/cairn/internal/channel/webhook/webhooktest"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

const hookSecret = "hook-signing-secret"

// hookChannel registers channel "webhook" as the real webhook adapter
// posting (signed) to a new webhooktest peer.
func (e *env) hookChannel() *webhooktest.Server {
	e.tb.Helper()
	srv := webhooktest.New(e.tb, webhooktest.Options{Secret: []byte(hookSecret), Clock: e.clk})
	s, err := webhook.New(webhook.Config{URL: srv.URL + "/hooks/default", Secret: hookSecret}, nil, e.clk, nil)
	require.NoError(e.tb, err)
	e.channel("webhook", channel.Webhook, s)
	return srv
}

// queueHook queues a webhook send of the "hook" template.
func (e *env) queueHook(key, profileID string, retries int) {
	e.tb.Helper()
	e.queue(key, profileID, func(s *store.Send, p *journey.SendPayload) {
		s.Channel, s.TemplateID, s.NodeID = "webhook", "hook", "hook_1"
		p.Template, p.Retries = "hook", retries
	})
}

func TestWebhookRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		fails        int
		status       int
		retries      int
		wantBackoffs []time.Duration // of each re-queue
		wantStatus   string
		wantReason   string // prefix
	}{
		{name: "two 503s then success", fails: 2, status: http.StatusServiceUnavailable, retries: 3,
			wantBackoffs: []time.Duration{2 * time.Second, 4 * time.Second}, wantStatus: store.SendSent},
		{name: "a 400 fails at once", fails: 1, status: http.StatusBadRequest, retries: 3,
			wantStatus: store.SendFailed, wantReason: FailProviderRefus + ": "},
		{name: "a 429 is worth a retry", fails: 1, status: http.StatusTooManyRequests, retries: 3,
			wantBackoffs: []time.Duration{2 * time.Second}, wantStatus: store.SendSent},
		{name: "retries exhausted", fails: 10, status: http.StatusBadGateway, retries: 2,
			wantBackoffs: []time.Duration{2 * time.Second, 4 * time.Second}, wantStatus: store.SendFailed, wantReason: FailRetriesSpent + ": "},
		{name: "no retries: the first temporary failure is final", fails: 1, status: http.StatusServiceUnavailable,
			wantStatus: store.SendFailed, wantReason: FailRetriesSpent + ": "},
		{name: "no failure", retries: 3, wantStatus: store.SendSent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			srv := e.hookChannel()
			e.profile("p1", nil)
			srv.FailNext(tt.fails, tt.status, 0)
			e.queueHook("k1", "p1", tt.retries)

			var backoffs []time.Duration
			for range 20 {
				require.Equal(t, 1, e.round())
				got := e.send("k1")
				if got.Status != store.SendQueued {
					break
				}
				require.Equal(t, len(backoffs)+1, got.Attempts)
				require.Contains(t, got.Reason, "temporary failure")
				require.Empty(t, e.eventsOf("k1"), "a retry appends no event")
				backoffs = append(backoffs, got.DueAt.Sub(e.clk.Now()))
				e.clk.Set(got.DueAt.Add(-time.Millisecond))
				require.Zero(t, e.round(), "not due before the backoff")
				e.clk.Set(got.DueAt)
			}
			require.Equal(t, tt.wantBackoffs, backoffs)
			got := e.send("k1")
			require.Equal(t, tt.wantStatus, got.Status)
			require.True(t, strings.HasPrefix(got.Reason, tt.wantReason), "reason %q", got.Reason)
			require.Equal(t, len(backoffs)+1, got.Attempts)
			require.Equal(t, len(backoffs)+1, srv.Attempts(), "one request per attempt")
			require.Empty(t, srv.Rejected(), "every request was signed and keyed")
			ev := e.only("k1")
			if tt.wantStatus == store.SendFailed {
				require.Equal(t, journey.EventMessageFailed, ev.Name)
				require.Equal(t, got.Reason, ev.Props["reason"])
				require.Empty(t, srv.Received())
				return
			}
			require.Equal(t, journey.EventMessageSent, ev.Name)
			rcv := srv.Received()
			require.Len(t, rcv, 1)
			require.Equal(t, "k1", rcv[0].Key, "Idempotency-Key is the send key")
			require.Equal(t, "/hooks/default", rcv[0].Path)
			require.JSONEq(t, `{"profile_id":"p1","key":"k1"}`, string(rcv[0].Body))
			require.Equal(t, "req_1", got.ProviderID)
		})
	}
}

// TestWebhookNodeInlineBody: a webhook node with its own URL and an inline
// body template over the entry properties.
func TestWebhookNodeInlineBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := e.hookChannel()
	e.profile("p1", nil)
	e.queue("k1", "p1", func(s *store.Send, p *journey.SendPayload) {
		s.Channel, s.TemplateID = "webhook", ""
		p.URL, p.Body, p.Entry = srv.URL+"/hooks/order", `{"order":"{{ entry.order_id }}","journey":"{{ journey.name }}"}`, map[string]any{"order_id": "o-17"}
	})
	require.Equal(t, 1, e.round())
	got := e.send("k1")
	require.Equal(t, store.SendSent, got.Status, got.Reason)
	require.Equal(t, srv.URL+"/hooks/order", got.To)
	rcv := srv.Received()
	require.Len(t, rcv, 1)
	require.Equal(t, "/hooks/order", rcv[0].Path)
	require.JSONEq(t, `{"order":"o-17","journey":"Welcome"}`, string(rcv[0].Body))
}
