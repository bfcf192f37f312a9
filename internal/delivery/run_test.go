package delivery

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// TestRun: Run recovers first, wakes on Notify and on the manual clock
// reaching the next due send, and returns when its context ends.
func TestRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.cfg.Poll = time.Hour // only Notify and the manual clock wake it
	e.d = e.dispatcher(e.st)
	mail := e.fake("email", channel.Email)
	e.profile("p1", map[string]any{"email": "ada@example.com"})
	e.queue("stuck", "p1", nil)
	require.NoError(t, e.st.UpdateSend(t.Context(), store.SendUpdate{Key: "stuck", Status: store.SendAttempting, Attempts: 1, At: t0}))
	e.queue("later", "p1", nil)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- e.d.Run(ctx) }()

	status := func(key string) string { return e.send(key).Status }
	require.Eventually(t, func() bool { return status("stuck") == store.SendUnknown }, 5*time.Second, 5*time.Millisecond)
	require.Eventually(t, func() bool { return status("later") == store.SendSent }, 5*time.Second, 5*time.Millisecond)

	// A send queued while Run idles goes out on Notify.
	e.queue("now", "p1", nil)
	e.d.Notify()
	e.d.Notify() // never blocks
	require.Eventually(t, func() bool { return status("now") == store.SendSent }, 5*time.Second, 5*time.Millisecond)

	// A send due in an hour (the processor notifies on queueing) goes out
	// when the clock gets there.
	e.queue("future", "p1", func(s *store.Send, _ *journey.SendPayload) { s.DueAt = e.clk.Now().Add(time.Hour) })
	e.d.Notify()
	require.Eventually(t, func() bool {
		e.clk.Advance(10 * time.Minute)
		return status("future") == store.SendSent
	}, 5*time.Second, 5*time.Millisecond)
	require.Len(t, mail.messages(), 3)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}
