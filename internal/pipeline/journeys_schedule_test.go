package pipeline

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

func identifyEv(user, msg string, traits map[string]any, at time.Time) *event.Event {
	raw, _ := json.Marshal(map[string]any{"type": "identify", "userId": user, "messageId": msg, "traits": traits})
	return &event.Event{SourceID: "src_web", Channel: "web", MessageID: msg, Type: event.Identify, UserID: user,
		Timestamp: at, ReceivedAt: at, Raw: raw}
}

func TestScheduledEntryReadsTheSegment(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	h.segment(t, "vip", `trait "vip" equals true`)
	p := h.processor(t, 100)
	zones := []string{"America/New_York", "Europe/Berlin", "Asia/Tokyo"}
	for i := range 5 {
		h.append(t, identifyEv(fmt.Sprintf("u%d", i), fmt.Sprintf("id%d", i), map[string]any{"vip": i < 3, "timezone": zones[i%3]}, t0))
	}
	require.NoError(t, p.CatchUp(ctx))
	run := t0.Add(time.Hour)
	h.publish(t, `{"id":"weekly","name":"VIP weekly",
	  "entry":{"schedule":{"segment":"vip","at":"`+run.Format(time.RFC3339)+`","every":"1w","local_time":"09:00"},"next":"hello"},
	  "reentry":{"mode":"anytime"},
	  "nodes":[{"id":"hello","message":{"channel":"email","template":"vip","advance":"always"}}]}`)
	p = h.processor(t, 100)
	require.NoError(t, p.syncSchedules(ctx))

	require.NoError(t, p.CatchUp(ctx))
	for i := range 3 {
		require.Empty(t, h.instances(t, h.profileOf(t, fmt.Sprintf("u%d", i))), "not before the run")
	}
	h.clk.Set(run)
	require.NoError(t, p.CatchUp(ctx))
	for i := range 5 {
		ins := h.instances(t, h.profileOf(t, fmt.Sprintf("u%d", i)))
		if i >= 3 {
			require.Empty(t, ins, "not a member")
			continue
		}
		require.Len(t, ins, 1)
		require.Equal(t, "", ins[0].Node, "waiting for 09:00 local")
	}
	// 09:00 local after the 13:00 UTC run: New York (UTC−5 before its DST
	// change on March 8) at 14:00 UTC, then Tokyo (UTC+9) and Berlin (UTC+1) the next day.
	sends := func() int {
		due, err := h.state.DueSends(ctx, h.clk.Now().Add(365*24*time.Hour), 100)
		require.NoError(t, err)
		return len(due)
	}
	for _, step := range []struct {
		at   time.Time
		want int
	}{
		{time.Date(2026, 3, 1, 13, 59, 0, 0, time.UTC), 0},
		{time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC), 1}, // 09:00 in New York
		{time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), 2},  // 09:00 in Tokyo
		{time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), 3},  // 09:00 in Berlin
	} {
		h.clk.Set(step.at)
		require.NoError(t, p.CatchUp(ctx))
		require.Equal(t, step.want, sends(), step.at)
	}
	// A week later the segment is read again: everyone enters once more.
	h.clk.Set(run.Add(7 * 24 * time.Hour))
	require.NoError(t, p.CatchUp(ctx))
	total := 0
	for i := range 3 {
		total += len(h.instances(t, h.profileOf(t, fmt.Sprintf("u%d", i))))
	}
	require.Equal(t, 6, total)
	st, err := p.scheduleState(ctx, "weekly")
	require.NoError(t, err)
	require.Equal(t, run.Add(7*24*time.Hour), st.LastRun)
	next, ok, err := h.state.NextTimer(ctx)
	require.NoError(t, err)
	require.True(t, ok)
	require.True(t, !next.After(run.Add(14*24*time.Hour)))

	// A server down for three weeks catches up once, not three times.
	h.clk.Set(run.Add(31 * 24 * time.Hour))
	require.NoError(t, p.CatchUp(ctx))
	total = 0
	for i := range 3 {
		total += len(h.instances(t, h.profileOf(t, fmt.Sprintf("u%d", i))))
	}
	require.Equal(t, 9, total)
	due, err := h.state.DueTimers(ctx, h.clk.Now(), 10)
	require.NoError(t, err)
	for _, d := range due {
		require.NotEqual(t, store.TimerKindSchedule, d.Kind)
	}
}
