package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/projection"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// A new segment is computed over the stored profiles a page at a time,
// reports its progress, and resumes after a restart where it stopped.
func TestBackfillRunsInPagesAndResumes(t *testing.T) {
	t.Parallel()
	// group 0 commits the pages as they are ready (one or both in a
	// transaction, as the goroutines run); 1 commits each in its own, 2
	// both in one.
	for _, group := range []int{0, 1, 2} {
		t.Run(fmt.Sprintf("group=%d", group), func(t *testing.T) {
			t.Parallel()
			backfillRunsInPagesAndResumes(t, group)
		})
	}
}

func backfillRunsInPagesAndResumes(t *testing.T, group int) {
	ctx := t.Context()
	h := newSegHarness(t)
	p := h.processor(t, 2000)
	p.bf.pagesPerStep = 2 // a step of two pages, the second read beside the first's evaluation
	p.bf.group = group
	const n = segmentBackfillPage*2 + segmentBackfillPage/2 // three backfill pages
	evs := make([]*event.Event, 0, n)
	for i := range n {
		name := "Product Viewed"
		if i%3 == 0 {
			name = "Order Completed"
		}
		evs = append(evs, track(fmt.Sprintf("u%04d", i), name, fmt.Sprintf("m%d", i), t0.Add(-time.Duration(i)*time.Second)))
	}
	h.append(t, evs...)
	require.NoError(t, p.CatchUp(ctx))

	h.segment(t, "buyers", `performed "Order Completed"`)
	require.NoError(t, p.reloadSegments(ctx, "buyers"))
	done, total, running := p.BackfillProgress("buyers")
	require.True(t, running)
	require.Equal(t, int64(0), done)
	require.Equal(t, int64(n), total)

	filled, err := p.backfillStep(ctx)
	require.NoError(t, err)
	require.Equal(t, 2*segmentBackfillPage, filled)
	done, _, running = p.BackfillProgress("buyers")
	require.True(t, running)
	require.Equal(t, int64(2*segmentBackfillPage), done)
	size, err := h.state.CountSegmentMembers(ctx, "buyers")
	require.NoError(t, err)
	first, err := h.state.ProfileIDs(ctx, "", 2*segmentBackfillPage)
	require.NoError(t, err)
	inFirst, err := h.state.ProfileSegments(ctx, first...)
	require.NoError(t, err)
	require.Len(t, inFirst, int(size), "no member past the step's two pages")
	require.InDelta(t, 2*segmentBackfillPage/3, size, 100, "both pages committed: a third of them buyers")

	// A restart resumes after the first step instead of starting over.
	p = h.processor(t, 2000)
	done, _, running = p.BackfillProgress("buyers")
	require.True(t, running, "the job survived the restart")
	require.Equal(t, int64(2*segmentBackfillPage), done)
	require.NoError(t, p.CatchUp(ctx))
	_, _, running = p.BackfillProgress("buyers")
	require.False(t, running)
	size, err = h.state.CountSegmentMembers(ctx, "buyers")
	require.NoError(t, err)
	require.Equal(t, int64((n+2)/3), size) // i%3 == 0 for i < n
	_, err = h.state.GetConfig(ctx, backfillConfigKind, "buyers")
	require.Error(t, err, "the finished job is forgotten")
}

// A backfill reads only what its segments test (the needed events, payloads
// only where a filter reads them, traits only when a condition does) and
// must decide exactly as evaluating the whole committed profile — from the
// store, and from the analytics projection's rows and columns.
func TestBackfillReadsOnlyWhatItNeeds(t *testing.T) {
	t.Parallel()
	for _, from := range []string{"store", "memory"} {
		t.Run(from, func(t *testing.T) {
			t.Parallel()
			backfillReadsOnlyWhatItNeeds(t, from)
		})
	}
}

func backfillReadsOnlyWhatItNeeds(t *testing.T, from string) {
	ctx := t.Context()
	h := newSegHarness(t)
	reg := prometheus.NewRegistry()
	p, err := New(ctx, Config{BatchSize: 2000, Identity: identity.DefaultConfig()}, h.log, h.state, h.clk, slog.New(slog.DiscardHandler), reg)
	require.NoError(t, err)
	p.SetRecorder(h.log)
	p.SetInternalSource(internalSrc)
	var proj *projection.Projection
	if from == "memory" {
		proj = projection.New(h.state, h.log, slog.New(slog.DiscardHandler))
		p.SetHistories(proj)
	}
	var evs []*event.Event
	n := 0
	add := func(e *event.Event) {
		n++
		evs = append(evs, e)
	}
	for i := range 60 {
		u := fmt.Sprintf("u%02d", i)
		add(identifyEv(u, fmt.Sprintf("i%d", i), map[string]any{"plan": []string{"gold", "pro", "free"}[i%3]}, t0.Add(-40*24*time.Hour)))
		for j := range 1 + i%7 {
			at := t0.Add(-time.Duration((i*7+j*13)%35) * 24 * time.Hour).Add(time.Duration(j) * time.Hour)
			name := []string{"Product Viewed", "Order Completed", "Cart Viewed"}[(i+j)%3]
			raw, _ := json.Marshal(map[string]any{"type": "track", "userId": u, "event": name, "messageId": fmt.Sprintf("m%d-%d", i, j),
				"properties": map[string]any{"revenue": float64((i*31+j*17)%140 + 10)}})
			add(&event.Event{SourceID: "src_web", Channel: "web", MessageID: fmt.Sprintf("m%d-%d", i, j), Type: event.Track, UserID: u,
				Name: name, Timestamp: at, ReceivedAt: at, Raw: raw})
		}
	}
	h.append(t, evs...)
	require.NoError(t, p.CatchUp(ctx))
	if proj != nil { // loaded, as serve loads it at start
		require.NoError(t, proj.Refresh(ctx))
	}

	segs := map[string]string{
		"a_rich":    `performed "Order Completed" where revenue > 50 count >= 1 within 30d and trait plan in ["gold", "pro"]`,
		"b_spent":   `aggregate sum revenue of "Order Completed" within 365d >= 120`,
		"c_path":    `sequence "Product Viewed" then "Order Completed" within 30d`,
		"d_web":     `channel channels ["web"] within 7d`,
		"e_ref":     `in_segment any ["a_rich"] and not performed "Product Viewed" within 10d`,
		"f_browser": `performed "Cart Viewed" count >= 2 and last_performed "Product Viewed" time within_last 20d`,
		// Cairn's own events (the entries above) are activity on no channel.
		"g_server": `channel channels ["server"] within 3d`,
	}
	for _, id := range []string{"a_rich", "b_spent", "c_path", "d_web", "e_ref", "f_browser", "g_server"} {
		h.segment(t, id, segs[id])
		require.NoError(t, p.reloadSegments(ctx, id))
		require.NoError(t, p.CatchUp(ctx))
	}
	idx := p.segIndex()
	needs := backfillNeeds(idx, "a_rich")
	require.Equal(t, []string{"Order Completed", "Product Viewed"}, needs.Events, "a_rich and e_ref, which depends on it")
	require.Equal(t, []string{"Order Completed"}, needs.Payload)
	require.True(t, needs.Traits)

	members := 0
	for i := range 60 {
		id := h.profileOf(t, fmt.Sprintf("u%02d", i))
		full, err := p.committedSnapshot(ctx, id)
		require.NoError(t, err)
		in := map[string]bool{}
		for _, s := range h.segmentsOf(t, id) {
			in[s] = true
		}
		for sid := range segs {
			def, ok := idx.Lookup(sid)
			require.True(t, ok)
			want, err := segment.Evaluate(def, full, h.clk.Now(), idx.Lookup)
			require.NoError(t, err)
			require.Equal(t, want, in[sid], "profile u%02d in %s", i, sid)
			if want {
				members++
			}
		}
	}
	require.Greater(t, members, 60, "the segments are not trivially empty")
	pages := map[string]float64{}
	fams, err := reg.Gather()
	require.NoError(t, err)
	for _, f := range fams {
		if f.GetName() == "cairn_segment_backfill_pages_total" {
			for _, m := range f.GetMetric() {
				pages[m.GetLabel()[0].GetValue()] = m.GetCounter().GetValue()
			}
		}
	}
	require.Positive(t, pages[from], "pages read from %s", from)
	if from == "memory" {
		require.Zero(t, pages["store"])
	}
}

// recordingHistories records the profiles whose events a backfill reads.
type recordingHistories struct {
	Histories
	asked map[string]bool
}

func (r *recordingHistories) SegmentEvents(ctx context.Context, ids []string, needs segment.Needs) (map[string][]segment.Event, bool, error) {
	for _, id := range ids {
		r.asked[id] = true
	}
	return r.Histories.SegmentEvents(ctx, ids, needs)
}

// A backfill reads no events of the profiles whose traits fail the
// segment's gate — unless a segment depends on it: after an edit, "not a
// buyer" must take in the former buyers the new definition refuses.
func TestBackfillSkipsProfilesTheGateRefuses(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	p := h.processor(t, 2000)
	proj := projection.New(h.state, h.log, slog.New(slog.DiscardHandler))
	rec := &recordingHistories{Histories: proj, asked: map[string]bool{}}
	p.SetHistories(rec)
	plans := map[string]string{}
	var evs []*event.Event
	for i := range 30 {
		u := fmt.Sprintf("u%02d", i)
		plans[u] = []string{"gold", "free", "free"}[i%3]
		evs = append(evs, identifyEv(u, "i"+u, map[string]any{"plan": plans[u]}, t0.Add(-48*time.Hour)))
		if i%2 == 0 {
			evs = append(evs, track(u, "Order Completed", "o"+u, t0.Add(-time.Hour)))
		}
	}
	h.append(t, evs...)
	require.NoError(t, p.CatchUp(ctx))
	require.NoError(t, proj.Refresh(ctx))

	check := func(when string) {
		t.Helper()
		idx := p.segIndex()
		for u := range plans {
			id := h.profileOf(t, u)
			full, err := p.committedSnapshot(ctx, id)
			require.NoError(t, err)
			in := map[string]bool{}
			for _, s := range h.segmentsOf(t, id) {
				in[s] = true
			}
			for _, sid := range []string{"buyers", "others"} {
				def, ok := idx.Lookup(sid)
				if !ok {
					continue
				}
				want, err := segment.Evaluate(def, full, h.clk.Now(), idx.Lookup)
				require.NoError(t, err)
				require.Equal(t, want, in[sid], "%s: %s (%s plan) in %s", when, u, plans[u], sid)
			}
		}
	}
	h.segment(t, "buyers", `trait plan = "gold" and performed "Order Completed"`)
	require.NoError(t, p.reloadSegments(ctx, "buyers"))
	require.NoError(t, p.CatchUp(ctx))
	check("created")
	for u, plan := range plans {
		require.Equal(t, plan == "gold", rec.asked[h.profileOf(t, u)], "events of %s (%s plan) read", u, plan)
	}

	h.segment(t, "others", `in_segment none ["buyers"]`)
	require.NoError(t, p.reloadSegments(ctx, "others"))
	require.NoError(t, p.CatchUp(ctx))
	check("dependent created")

	def, err := segment.ParseText(`trait plan = "free" and performed "Order Completed"`)
	require.NoError(t, err)
	_, err = h.state.UpdateSegment(ctx, store.Segment{ID: "buyers", Name: "buyers", Definition: def.JSON(), Text: def.Text(), CreatedAt: t0})
	require.NoError(t, err)
	clear(rec.asked)
	require.NoError(t, p.reloadSegments(ctx, "buyers"))
	require.NoError(t, p.CatchUp(ctx))
	check("edited with a dependent")
	require.Len(t, rec.asked, len(plans), "with a dependent every profile is evaluated")
}

func TestBackfillTimer(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	day := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name                string
		next, pending, want time.Time
	}{
		{"no change ahead: no timer", time.Time{}, time.Time{}, time.Time{}},
		{"a new timer goes to its slot", day(9, 17, 59), time.Time{}, day(9, 12, 0)},
		{"on the grid already", day(9, 18, 0), time.Time{}, day(9, 18, 0)},
		{"earlier than the pending timer", day(9, 17, 59), day(20, 0, 0), day(9, 12, 0)},
		{"the pending timer itself stays exact", day(9, 17, 59), day(9, 17, 59), day(9, 17, 59)},
		{"its slot has begun: exact", day(1, 13, 30), time.Time{}, day(1, 13, 30)},
		{"its slot begins now: exact", day(1, 17, 0), time.Time{}, day(1, 17, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, backfillTimer(tc.next, tc.pending, now))
		})
	}
}

// A backfill writes a member's expiry on the coarse grid: the timer fires
// early, changes nothing and is replaced by the exact instant, when the
// profile leaves the segment and not before.
func TestBackfillTimerFiresEarlyThenExact(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	p := h.processor(t, 1000)
	h.append(t, track("u-1", "Order Completed", "m-1", t0.Add(-time.Hour)),
		track("u-2", "Order Completed", "m-2", t0.Add(-30*24*time.Hour+time.Hour)))
	require.NoError(t, p.CatchUp(ctx))
	u1, u2 := h.profileOf(t, "u-1"), h.profileOf(t, "u-2")

	h.segment(t, "recent", `performed "Order Completed" within 30d`)
	require.NoError(t, p.reloadSegments(ctx, "recent"))
	require.NoError(t, p.CatchUp(ctx))
	require.Equal(t, []string{"recent"}, h.segmentsOf(t, u1))
	require.Equal(t, []string{"recent"}, h.segmentsOf(t, u2))
	timerOf := func(id string) time.Time {
		ts, err := h.state.ProfileTimers(ctx, store.TimerKindSegment, id)
		require.NoError(t, err)
		require.Len(t, ts, 1)
		return ts[0].FireAt.UTC()
	}
	exact1 := t0.Add(30*24*time.Hour - time.Hour) // 03-31 11:00
	require.Equal(t, exact1.Truncate(backfillTimerSlot), timerOf(u1), "rounded down to 06:00")
	require.Equal(t, t0.Add(time.Hour), timerOf(u2), "its slot (12:00) has begun: exact")

	h.clk.Set(exact1.Truncate(backfillTimerSlot))
	require.NoError(t, p.CatchUp(ctx))
	require.Equal(t, []string{"recent"}, h.segmentsOf(t, u1), "fired early: still a member")
	require.Equal(t, exact1, timerOf(u1), "replaced by the exact instant")
	require.NotContains(t, h.timeline(t, u1), EventSegmentExited)

	h.clk.Set(exact1)
	require.NoError(t, p.CatchUp(ctx))
	require.Empty(t, h.segmentsOf(t, u1))
	require.Equal(t, []string{"Order Completed", EventSegmentEntered, EventSegmentExited}, h.timeline(t, u1))
}
