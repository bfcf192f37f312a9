package segment

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestIDsForGate checks which segments IDsFor leaves out for a profile
// whose traits fail a segment's gate, and that every case a gate must not
// decide is kept: members, date tests, or, traits that cannot be read,
// trait changes, and the dependents of a segment left out.
func TestIDsForGate(t *testing.T) {
	t.Parallel()
	since := t0.Add(-day).Format(time.RFC3339)
	for _, c := range []struct {
		name    string
		src     string
		member  bool
		traits  map[string]any
		noRead  bool     // the traits cannot be read
		changed []string // trait paths changed with the event
		want    []string
	}{
		{name: "gate fails", src: `trait plan = "gold" and performed "A" count >= 2`, traits: map[string]any{"plan": "silver"}},
		{name: "gate holds", src: `trait plan = "gold" and performed "A" count >= 2`, traits: map[string]any{"plan": "gold"}, want: []string{"s"}},
		{name: "no traits at all", src: `trait plan = "gold" and performed "A" count >= 2`},
		{name: "nested and", src: `performed "A" and (trait vip = true and trait plan exists)`, traits: map[string]any{"plan": "gold"}},
		{name: "negated trait fails", src: `not trait plan = "gold" and performed "A"`, traits: map[string]any{"plan": "gold"}},
		{name: "negated trait holds", src: `not trait plan = "gold" and performed "A"`, traits: map[string]any{"plan": "silver"}, want: []string{"s"}},
		{name: "or is no gate", src: `trait plan = "gold" or performed "A" count >= 2`, traits: map[string]any{"plan": "silver"}, want: []string{"s"}},
		// a date test can start holding later on its own, when the event
		// may have made the rest true: never a gate
		{name: "date test", src: `trait since before_last 2d and performed "A" within 7d`, traits: map[string]any{"since": since}, want: []string{"s"}},
		{name: "member", src: `trait plan = "gold" and performed "A" count <= 2`, member: true, traits: map[string]any{"plan": "silver"}, want: []string{"s"}},
		{name: "traits unreadable", src: `trait plan = "gold" and performed "A" count >= 2`, noRead: true, want: []string{"s"}},
		{name: "trait changed", src: `trait plan = "gold" and performed "A" count >= 2`, traits: map[string]any{"plan": "silver"}, changed: []string{"plan"}, want: []string{"s"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			idx := NewIndex(map[string]*Definition{"s": mustText(t, c.src)}, map[string]int{"s": 1})
			r := idx.Route()
			r.Event(ev("A", t0, nil))
			r.Traits(c.changed)
			reads := 0
			got := r.IDsFor(map[string]bool{"s": c.member}, time.Time{}, func() (map[string]any, bool) {
				reads++
				return c.traits, !c.noRead
			})
			require.Equal(t, c.want, got)
			require.LessOrEqual(t, reads, 1, "traits read more than once")
		})
	}
	t.Run("dependents of a gated segment", func(t *testing.T) {
		t.Parallel()
		idx := NewIndex(map[string]*Definition{
			"s": mustText(t, `trait plan = "gold" and performed "A" count >= 2`),
			"z": mustText(t, `in_segment none ["s"]`),
		}, map[string]int{"s": 1, "z": 1})
		r := idx.Route()
		r.Event(ev("A", t0, nil))
		require.Nil(t, r.IDsFor(map[string]bool{"z": true}, time.Time{}, func() (map[string]any, bool) { return nil, true }))
		r = idx.Route()
		r.Event(ev("A", t0, nil))
		require.Equal(t, []string{"s", "z"}, r.IDsFor(map[string]bool{"z": true}, time.Time{}, func() (map[string]any, bool) {
			return map[string]any{"plan": "gold"}, true
		}))
	})
	t.Run("traits read only when a gate is tested", func(t *testing.T) {
		t.Parallel()
		idx := NewIndex(map[string]*Definition{"s": mustText(t, `trait plan = "gold" and performed "A"`)}, map[string]int{"s": 1})
		r := idx.Route()
		r.Event(ev("A", t0, nil))
		// a member of a segment the event can only raise: left out by its
		// directions, before any gate
		require.Nil(t, r.IDsFor(map[string]bool{"s": true}, time.Time{}, func() (map[string]any, bool) {
			t.Fatal("traits read")
			return nil, false
		}))
	})
}

// TestSettleReadsPropertiesOnlyWhenOpen checks that routing decodes an
// event's body only for a segment its name leaves open: a member of a
// segment the event can only raise is settled by the name.
func TestSettleReadsPropertiesOnlyWhenOpen(t *testing.T) {
	t.Parallel()
	idx := NewIndex(map[string]*Definition{"s": mustText(t, `performed "A" where n > 3 count >= 2 within 3d`)}, map[string]int{"s": 1})
	for _, c := range []struct {
		name   string
		member bool
		n      float64
		want   []string
		loads  int
	}{
		{name: "member", member: true, n: 5},
		{name: "non-member, filter passes", n: 5, want: []string{"s"}, loads: 1},
		{name: "non-member, filter refuses", n: 2, loads: 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			loads := 0
			e := LazyEvent(ev("A", t0, nil), func() []byte {
				loads++
				return fmt.Appendf(nil, `{"properties":{"n":%v}}`, c.n)
			})
			r := idx.Route()
			r.Event(e)
			r.Settle(map[string]bool{"s": c.member}, time.Time{})
			require.Equal(t, c.want, r.IDsFor(map[string]bool{"s": c.member}, time.Time{}, nil))
			require.Equal(t, c.loads, loads)
		})
	}
}

// TestRefuses checks Index.Refuses, which lets a backfill skip the events
// of profiles whose traits fail a segment's gate.
func TestRefuses(t *testing.T) {
	t.Parallel()
	since := t0.Add(-day).Format(time.RFC3339)
	idx := NewIndex(map[string]*Definition{
		"gold":  mustText(t, `trait plan = "gold" and performed "A" count >= 2`),
		"not":   mustText(t, `not trait plan = "gold" and performed "A"`),
		"or":    mustText(t, `trait plan = "gold" or performed "A" count >= 2`),
		"date":  mustText(t, `trait since before_last 2d and performed "A" within 7d`),
		"plain": mustText(t, `performed "A"`),
	}, map[string]int{"gold": 1, "not": 1, "or": 1, "date": 1, "plain": 1})
	for _, c := range []struct {
		id     string
		traits map[string]any
		want   bool
	}{
		{"gold", map[string]any{"plan": "silver"}, true},
		{"gold", map[string]any{}, true},
		{"gold", map[string]any{"plan": "gold"}, false},
		{"not", map[string]any{"plan": "gold"}, true},
		{"not", map[string]any{"plan": "silver"}, false},
		{"or", map[string]any{"plan": "silver"}, false},
		{"date", map[string]any{"since": since}, false},
		{"plain", map[string]any{}, false},
		{"unknown", map[string]any{}, false},
	} {
		require.Equal(t, c.want, idx.Refuses(c.id, c.traits), "%s with %v", c.id, c.traits)
	}
}
