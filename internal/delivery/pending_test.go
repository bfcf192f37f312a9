package delivery

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
)

// flakyLog fails appends while down is set, like a log whose disk stalls
// or a crash between the two commits.
type flakyLog struct {
	Recorder
	down atomic.Bool
}

func (f *flakyLog) Append(ctx context.Context, b store.AppendBatch) ([]bool, error) {
	if f.down.Load() {
		return nil, errors.New("log unavailable")
	}
	return f.Recorder.Append(ctx, b)
}

// An outcome whose event cannot reach the log is not lost: it stays on the
// send and is appended by the next round, or by Recover after a restart.
func TestOutcomeEventSurvivesAFailedAppend(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	fl := &flakyLog{Recorder: e.log}
	d := New(e.cfg, e.st, fl, e.tpls, e.snd, e.clk, slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	f := e.fake("email", channel.Email)
	e.profile("p1", map[string]any{"email": "ann@example.com", "first_name": "Ann"})
	e.profile("p2", map[string]any{"email": "bob@example.com", "first_name": "Bob"})
	e.queue("k1", "p1", nil)

	fl.down.Store(true)
	_, err := d.Round(ctx)
	require.Error(t, err)
	require.Equal(t, store.SendSent, e.send("k1").Status, "the outcome is recorded")
	require.NotEmpty(t, e.send("k1").PendingEvent)
	require.Len(t, f.messages(), 1)
	sent := func() int {
		n := 0
		for _, ev := range e.events() {
			if ev.Name == journey.EventMessageSent {
				n++
			}
		}
		return n
	}
	require.Zero(t, sent())

	// The log is back: the next round appends the pending event first.
	fl.down.Store(false)
	e.queue("k2", "p2", nil)
	_, err = d.Round(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, sent())
	require.Empty(t, e.send("k1").PendingEvent)

	// A crash after the outcome but before the event: a new dispatcher's
	// Recover appends it, exactly once.
	e.profile("p3", map[string]any{"email": "cy@example.com", "first_name": "Cy"})
	e.queue("k3", "p3", nil)
	fl.down.Store(true)
	_, err = d.Round(ctx)
	require.Error(t, err)
	fl.down.Store(false)
	d2 := New(e.cfg, e.st, e.log, e.tpls, e.snd, e.clk, slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	require.NoError(t, d2.Recover(ctx))
	require.NoError(t, d2.Recover(ctx))
	require.Equal(t, 3, sent())
	require.Len(t, f.messages(), 3, "nothing was sent twice")
}
