package funnel

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/pipeline"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
)

// t0 is a Monday.
var t0 = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

const (
	pv    = "Product Viewed"
	added = "Product Added"
	order = "Order Completed"
	segIn = "Segment Entered"
)

// ev is one synthetic track event of a user.
type ev struct {
	user   string
	name   string
	at     time.Duration // from t0
	source string        // src_web (default), src_pos or src_int
	props  map[string]any
}

// world is a real SQLite log and state with timelines built by the real
// processor.
type world struct {
	log   store.Log
	state store.State
}

func newWorld(t *testing.T, evs []ev) *world {
	t.Helper()
	ctx := t.Context()
	lg, st, err := sqlite.Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { lg.Close(); st.Close() })
	for _, s := range []store.Source{{ID: "src_web", Name: "web", Channel: "web"}, {ID: "src_pos", Name: "pos", Channel: "store"},
		{ID: "src_int", Name: "cairn", Channel: "server"}} {
		s.Party = "first"
		require.NoError(t, st.CreateSource(ctx, s))
	}
	if len(evs) > 0 {
		list := make([]*event.Event, len(evs))
		for i, e := range evs {
			list[i] = e.build(i)
		}
		_, err = lg.Append(ctx, store.AppendBatch{Events: list, DedupeSince: t0.Add(-time.Hour)})
		require.NoError(t, err)
	}
	p, err := pipeline.New(ctx, pipeline.Config{BatchSize: 100, Identity: identity.DefaultConfig()}, lg, st,
		clock.NewManual(t0), slog.New(slog.DiscardHandler), nil)
	require.NoError(t, err)
	require.NoError(t, p.CatchUp(ctx))
	return &world{log: lg, state: st}
}

func (e ev) build(i int) *event.Event {
	src := e.source
	if src == "" {
		src = "src_web"
	}
	id := fmt.Sprintf("m-%d", i)
	body := map[string]any{"type": "track", "messageId": id, "userId": e.user, "event": e.name}
	if e.props != nil {
		body["properties"] = e.props
	}
	raw, _ := json.Marshal(body)
	ts := t0.Add(e.at)
	return &event.Event{SourceID: src, Channel: map[string]string{"src_web": "web", "src_pos": "store", "src_int": "server"}[src],
		MessageID: id, Type: event.Track, UserID: e.user, Name: e.name, Timestamp: ts, ReceivedAt: ts, Raw: raw}
}

// pid is the profile id of a user id.
func (w *world) pid(t *testing.T, user string) string {
	t.Helper()
	ids, err := w.state.LookupIdentities(t.Context(), []store.IdentityKey{{Type: "user_id", Value: user}})
	require.NoError(t, err)
	require.Len(t, ids, 1, user)
	return ids[0].ProfileID
}

// scan runs accumulators over the world, excluding the internal source.
func (w *world) scan(t *testing.T, need Need, accs ...Accumulator) ScanStats {
	t.Helper()
	need.Exclude = []string{"src_int"}
	st, err := Scan(t.Context(), w.state, w.log, need, accs...)
	require.NoError(t, err)
	return st
}

const (
	hour = time.Hour
	day  = 24 * time.Hour
)

// shop is the shared synthetic data set (hand-computed expectations in the
// tests refer to it).
func shop() []ev {
	return []ev{
		{user: "u1", name: pv, at: 0, props: map[string]any{"sku": "A", "color": "red"}},
		{user: "u1", name: added, at: hour},
		{user: "u1", name: order, at: 3 * hour, source: "src_pos"},
		{user: "u2", name: pv, at: 0, props: map[string]any{"color": "blue"}},
		{user: "u2", name: added, at: 2 * hour},
		{user: "u3", name: pv, at: 0, source: "src_pos", props: map[string]any{"color": "red"}},
		{user: "u4", name: pv, at: 0},
		{user: "u4", name: order, at: hour},
		{user: "u4", name: added, at: 2 * hour},
		{user: "u5", name: pv, at: 0},
		{user: "u5", name: pv, at: 7 * day},
		{user: "u5", name: added, at: 8 * day},
		{user: "u6", name: "Home", at: 0},
		{user: "u6", name: segIn, at: time.Minute, source: "src_int"},
		// retention only: r1 orders in week 0 twice and in week 2, r2 in weeks 1 and 3
		{user: "r1", name: order, at: 0},
		{user: "r1", name: order, at: hour},
		{user: "r1", name: order, at: 15 * day},
		{user: "r2", name: order, at: 8 * day},
		{user: "r2", name: order, at: 9 * day},
		{user: "r2", name: order, at: 22 * day},
	}
}

func seconds(d time.Duration) *float64 {
	s := d.Seconds()
	return &s
}
