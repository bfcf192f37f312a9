package segment

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func testIndex(tb testing.TB, srcs map[string]string) *Index {
	tb.Helper()
	defs := map[string]*Definition{}
	versions := map[string]int{}
	for id, src := range srcs {
		defs[id] = mustText(tb, src)
		versions[id] = len(id)
	}
	return NewIndex(defs, versions)
}

func TestIndexAffected(t *testing.T) {
	t.Parallel()
	idx := testIndex(t, map[string]string{
		"buyers":   `performed "Order Completed" within 30d`,
		"lapsed":   `performed "Order Completed" count = 0 within 90d and trait plan = "pro"`,
		"funnel":   `sequence "Email Opened" then not "Order Completed" within 7d`,
		"spenders": `aggregate sum revenue of "Order Completed" within 365d >= 500`,
		"city":     `trait address.city = "Paris"`,
		"address":  `trait address exists`,
		"active":   `channel channels ["store"] within 30d`,
		"holdout":  `random_bucket 10 salt "h"`,
		"all":      `everyone`,
		"vip":      `in_segment any ["spenders"] and not in_segment any ["lapsed"]`,
		"vip_city": `in_segment all ["vip", "city"]`,
		"opened":   `last_performed "Email Opened" time within_last 2d`,
	})
	require.Empty(t, idx.Excluded())
	at := t0
	cases := []struct {
		name   string
		ev     Event
		traits []string
		want   []string
	}{
		{name: "order routes to every order condition and dependents in order", ev: ev("Order Completed", at, nil),
			want: []string{"active", "buyers", "funnel", "lapsed", "spenders", "vip", "vip_city"}},
		{name: "unknown event reaches only channel", ev: ev("Page Viewed", at, nil), want: []string{"active"}},
		{name: "email routes to sequence and last_performed", ev: ev("Email Opened", at, nil), want: []string{"active", "funnel", "opened"}},
		{name: "trait only: leaf path", traits: []string{"address.city"}, want: []string{"address", "city", "vip_city"}},
		{name: "trait only: object replaced", traits: []string{"address"}, want: []string{"address", "city", "vip_city"}},
		{name: "trait only: unrelated prefix", traits: []string{"address_2", "addr"}},
		{name: "trait plan reaches lapsed and its dependents", traits: []string{"plan"}, want: []string{"lapsed", "vip", "vip_city"}},
		{name: "nothing changed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := idx.Affected(tc.ev, tc.traits)
			require.ElementsMatch(t, tc.want, got)
			requireDependencyOrder(t, idx, got)
		})
	}
	all := idx.All()
	require.Len(t, all, 12)
	requireDependencyOrder(t, idx, all)
	require.Equal(t, len("vip_city"), idx.Version("vip_city"))
	require.Zero(t, idx.Version("nope"))
}

func requireDependencyOrder(t *testing.T, idx *Index, ids []string) {
	t.Helper()
	pos := map[string]int{}
	for i, id := range ids {
		pos[id] = i
	}
	for i, id := range ids {
		d, ok := idx.Lookup(id)
		require.True(t, ok)
		for _, ref := range d.References() {
			if p, ok := pos[ref.ID]; ok {
				require.Less(t, p, i, "%s must come after %s", id, ref.ID)
			}
		}
	}
}

func TestIndexExcluded(t *testing.T) {
	t.Parallel()
	// cycles cannot be built through CheckReferences, so assemble them directly
	idx := testIndex(t, map[string]string{
		"a":       `in_segment any ["b"]`,
		"b":       `in_segment any ["a"]`,
		"dangles": `in_segment any ["missing"]`,
		"msg":     `message opened channel "email" within 7d`,
		"uses":    `performed "X" and in_segment any ["msg"]`,
		"ok":      `performed "X"`,
	})
	ex := idx.Excluded()
	require.Len(t, ex, 5)
	require.ErrorIs(t, ex["a"], ErrCycle)
	require.ErrorIs(t, ex["b"], ErrCycle)
	require.ErrorIs(t, ex["dangles"], ErrUnknownSegment)
	require.ErrorIs(t, ex["msg"], ErrNotAvailable)
	require.ErrorIs(t, ex["uses"], ErrNotAvailable)
	require.Equal(t, []string{"ok"}, idx.All())
	require.Equal(t, []string{"ok"}, idx.Affected(ev("X", t0, nil), nil))
}

func TestUpdateAndFire(t *testing.T) {
	t.Parallel()
	idx := testIndex(t, map[string]string{
		"recent":         `performed "Order Completed" within 1d`,
		"not_recent_vip": `trait plan = "pro" and in_segment none ["recent"]`,
	})
	snap := Snapshot{ProfileID: "p1", Traits: map[string]any{"plan": "pro"}, Events: []Event{ev("Order Completed", t0.Add(-time.Hour), nil)}}
	member := map[string]bool{}

	res, err := Update(idx, snap, member, idx.All(), t0, nil)
	require.NoError(t, err)
	require.Equal(t, []Transition{{SegmentID: "recent", Version: 6, Entered: true, At: t0, Reason: ReasonEvent}}, res.Transitions)
	exit := t0.Add(23 * time.Hour)
	// the dependent's timer covers only its own boundaries; "recent"'s exit reaches it through Fire
	require.Equal(t, map[string]time.Time{"recent": exit, "not_recent_vip": {}}, res.Timers)
	member["recent"] = true

	res, err = Fire(idx, snap, member, "recent", exit, nil)
	require.NoError(t, err)
	require.Equal(t, []Transition{
		{SegmentID: "recent", Version: 6, Entered: false, At: exit, Reason: ReasonTimer},
		{SegmentID: "not_recent_vip", Version: 14, Entered: true, At: exit, Reason: ReasonTimer},
	}, res.Transitions)
	require.Equal(t, map[string]time.Time{"recent": {}, "not_recent_vip": {}}, res.Timers)

	res, err = Fire(idx, snap, member, "deleted", exit, nil)
	require.NoError(t, err)
	require.Empty(t, res.Transitions)
	require.Equal(t, map[string]time.Time{"deleted": {}}, res.Timers, "a stale timer is dropped")

	_, err = Update(idx, snap, member, []string{"deleted"}, exit, nil)
	require.ErrorIs(t, err, ErrUnknownSegment)
	_, err = Update(idx, snap, member, []string{"recent"}, exit, func(string) (*Definition, bool) { return nil, false })
	require.NoError(t, err, "a segment without references never calls the lookup")
	_, err = Update(idx, snap, member, []string{"not_recent_vip"}, exit, func(string) (*Definition, bool) { return nil, false })
	require.ErrorIs(t, err, ErrUnknownSegment, "lookup errors are returned")
}

func TestTransitionMessageID(t *testing.T) {
	t.Parallel()
	base := TransitionMessageID("vip", 3, "p1", true, t0)
	require.Regexp(t, `^seg_[0-9a-f]{56}$`, base)
	require.Less(t, TransitionMessageID("z", 9, "p_aaa", false, t0), TransitionMessageID("a", 1, "p_aab", true, t0),
		"ids of one instant sort by profile")
	require.Less(t, base, TransitionMessageID("a", 1, "a", false, t0.Add(time.Microsecond)), "ids sort by instant")
	require.Greater(t, base, TransitionMessageID("z", 9, "z", false, t0.Add(-time.Microsecond)), "ids sort by instant")
	require.Equal(t, base, TransitionMessageID("vip", 3, "p1", true, t0.In(time.FixedZone("x", 3600))), "same instant in another zone")
	others := []string{
		TransitionMessageID("vip", 3, "p1", false, t0),
		TransitionMessageID("vip", 4, "p1", true, t0),
		TransitionMessageID("vip", 3, "p2", true, t0),
		TransitionMessageID("vi", 3, "pp1", true, t0),
		TransitionMessageID("vip", 3, "p1", true, t0.Add(time.Nanosecond)),
		TransitionMessageID("vip", 33, "p1", true, t0),
	}
	seen := map[string]bool{base: true}
	for _, id := range others {
		require.False(t, seen[id], "collision %s", id)
		seen[id] = true
	}
}
