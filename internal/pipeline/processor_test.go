package pipeline

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/profile"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// ev builds a normalized event the way ingest would store it.
type ev struct {
	typ    event.Type
	user   string
	anon   string
	prev   string
	group  string
	name   string
	at     time.Duration // offset from t0
	traits map[string]any
	source string
}

func (e ev) build(i int) *event.Event {
	src := e.source
	if src == "" {
		src = "src_web"
	}
	body := map[string]any{"type": string(e.typ), "messageId": fmt.Sprintf("m-%d", i)}
	if e.user != "" {
		body["userId"] = e.user
	}
	if e.anon != "" {
		body["anonymousId"] = e.anon
	}
	if e.prev != "" {
		body["previousId"] = e.prev
	}
	if e.group != "" {
		body["groupId"] = e.group
	}
	if e.traits != nil {
		body["traits"] = e.traits
	}
	raw, _ := json.Marshal(body)
	ts := t0.Add(e.at)
	return &event.Event{
		SourceID: src, Channel: map[string]string{"src_web": "web", "src_pos": "store", "src_srv": "server"}[src],
		MessageID: fmt.Sprintf("m-%d", i), Type: e.typ, UserID: e.user, AnonymousID: e.anon, PreviousID: e.prev,
		GroupID: e.group, Name: e.name, Timestamp: ts, ReceivedAt: ts, Raw: raw,
	}
}

type harness struct {
	log   store.Log
	state store.State
	p     *Processor
}

func newHarness(t *testing.T, batchSize int) *harness { return newHarnessTB(t, batchSize) }

func newHarnessTB(t testing.TB, batchSize int) *harness {
	t.Helper()
	ctx := t.Context()
	lg, st, err := sqlite.Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { lg.Close(); st.Close() })
	for _, s := range []store.Source{{ID: "src_web", Name: "web", Channel: "web"}, {ID: "src_pos", Name: "pos", Channel: "store"}, {ID: "src_srv", Name: "srv", Channel: "server"}} {
		s.Party = "first"
		require.NoError(t, st.CreateSource(ctx, s))
	}
	p, err := New(ctx, Config{BatchSize: batchSize, Identity: identity.DefaultConfig()}, lg, st, clock.NewManual(t0), slog.New(slog.DiscardHandler), nil)
	require.NoError(t, err)
	return &harness{log: lg, state: st, p: p}
}

func (h *harness) feed(t *testing.T, evs []ev) {
	t.Helper()
	var list []*event.Event
	for i, e := range evs {
		list = append(list, e.build(i))
	}
	_, err := h.log.Append(t.Context(), store.AppendBatch{Events: list, DedupeSince: t0.Add(-time.Hour)})
	require.NoError(t, err)
	require.NoError(t, h.p.CatchUp(t.Context()))
}

func (h *harness) view(t *testing.T, ref string) *profile.View {
	t.Helper()
	id, err := profile.Resolve(t.Context(), h.state, ref, nil)
	require.NoError(t, err, "resolve %s", ref)
	v, err := profile.Load(t.Context(), h.state, id)
	require.NoError(t, err)
	return v
}

func identities(v *profile.View) []string {
	var out []string
	for _, i := range v.Identities {
		out = append(out, i.Type+":"+i.Value)
	}
	sort.Strings(out)
	return out
}

func TestProcessorScenarios(t *testing.T) {
	t.Parallel()
	for _, batch := range []int{1, 3, 1000} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, batch)
			h.feed(t, []ev{
				{typ: event.Page, anon: "anon-phone", name: "Home"},
				{typ: event.Track, anon: "anon-laptop", name: "Product Viewed", at: time.Minute},
				{typ: event.Identify, user: "u-1", anon: "anon-phone", at: 2 * time.Minute,
					traits: map[string]any{"email": " Pia@NTO.example ", "plan": "pro", "address": map[string]any{"city": "Denver"}}},
				// the laptop signs in: its anonymous profile merges into u-1's
				{typ: event.Identify, user: "u-1", anon: "anon-laptop", at: 3 * time.Minute},
				// a late identify with an older timestamp must not win
				{typ: event.Identify, user: "u-1", at: -time.Hour, traits: map[string]any{"plan": "free", "age": 40}},
				// the store POS knows only the email
				{typ: event.Track, user: "u-1", name: "Order Completed", at: 4 * time.Minute, source: "src_pos"},
				{typ: event.Group, user: "u-1", group: "team-9", at: 5 * time.Minute, traits: map[string]any{"name": "Ridge High"}},
				// a server source invents anonymous ids: they must not become identities
				{typ: event.Track, user: "u-1", anon: "random-server-anon", name: "Call Completed", at: 6 * time.Minute, source: "src_srv"},
			})
			v := h.view(t, "email:pia@nto.example")
			require.Equal(t, []string{"anonymous_id:anon-laptop", "anonymous_id:anon-phone", "email:pia@nto.example", "user_id:u-1"}, identities(v))
			require.EqualValues(t, 8, v.EventCount)
			require.Equal(t, "pro", v.Traits["plan"], "newer event time wins, not arrival order")
			require.EqualValues(t, 40, v.Traits["age"], "an older write still fills a missing trait")
			require.Equal(t, map[string]any{"city": "Denver"}, v.Traits["address"])
			require.Len(t, v.MergedFrom, 1)
			require.Equal(t, []string{"server", "store", "web"}, v.Channels)
			require.Len(t, v.Accounts, 1)
			require.Equal(t, "team-9", v.Accounts[0].GroupID)
			require.Equal(t, t0.Add(-time.Hour), v.FirstSeen.UTC())

			// the merged-away profile id resolves to the survivor
			again := h.view(t, v.MergedFrom[0])
			require.Equal(t, v.ID, again.ID)

			tl, err := h.state.Timeline(t.Context(), store.TimelineQuery{ProfileIDs: append([]string{v.ID}, v.MergedFrom...), Limit: 100})
			require.NoError(t, err)
			require.Len(t, tl, 8)
			n, err := h.state.CountProfiles(t.Context())
			require.NoError(t, err)
			require.EqualValues(t, 1, n)
		})
	}
}

func TestRebuildReproducesProfiles(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 2)
	h.feed(t, []ev{
		{typ: event.Track, anon: "a1", name: "Product Viewed"},
		{typ: event.Identify, user: "u-1", anon: "a1", traits: map[string]any{"email": "a@nto.example"}, at: time.Second},
		{typ: event.Identify, user: "u-2", traits: map[string]any{"email": "a@nto.example"}, at: 2 * time.Second},
		{typ: event.Track, anon: "a2", name: "Product Viewed", at: 3 * time.Second},
		{typ: event.Alias, user: "u-2", prev: "a2", at: 4 * time.Second},
	})
	before := snapshot(t, h)
	require.NoError(t, h.state.Reset(t.Context()))
	require.NoError(t, h.p.Reset(t.Context()))
	require.NoError(t, h.p.CatchUp(t.Context()))
	require.Equal(t, before, snapshot(t, h))
}

// snapshot lists every identity with its profile id.
func snapshot(t *testing.T, h *harness) []string {
	t.Helper()
	var out []string
	ps, err := h.state.FindProfiles(t.Context(), "", nil, "", 1000)
	require.NoError(t, err)
	for _, p := range ps {
		ids, err := h.state.ProfileIdentities(t.Context(), p.ID)
		require.NoError(t, err)
		for _, i := range ids {
			out = append(out, p.ID+" "+i.Type+":"+i.Value)
		}
	}
	sort.Strings(out)
	return out
}

// TestLagAfterRestart checks that a new processor knows how old its
// checkpoint is, so lag has an age before its first batch commits.
func TestLagAfterRestart(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 10)
	h.feed(t, []ev{
		{typ: event.Track, user: "u-1", name: "A"},
		{typ: event.Track, user: "u-1", name: "B", at: time.Minute},
	})
	late := ev{typ: event.Track, user: "u-1", name: "C", at: 2 * time.Minute}.build(2)
	_, err := h.log.Append(t.Context(), store.AppendBatch{Events: []*event.Event{late}, DedupeSince: t0.Add(-time.Hour)})
	require.NoError(t, err)

	p2, err := New(t.Context(), Config{BatchSize: 10, Identity: identity.DefaultConfig()}, h.log, h.state,
		clock.NewManual(t0.Add(time.Hour)), slog.New(slog.DiscardHandler), nil)
	require.NoError(t, err)
	p2.Notify(3)
	n, age := p2.Lag()
	require.Equal(t, int64(1), n)
	require.Equal(t, 59*time.Minute, age, "age of the event at the checkpoint (received at t0+1m)")
}
