package segment

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestNeedsOf(t *testing.T) {
	t.Parallel()
	parse := func(src string) *Definition {
		d, err := ParseText(src)
		require.NoError(t, err, src)
		return d
	}
	vip := parse(`aggregate sum revenue of "Order Completed" within 365d >= 500`)
	lookup := func(id string) (*Definition, bool) { return vip, id == "vip" }
	tests := []struct {
		name string
		defs []*Definition
		want Needs
	}{
		{"performed without filters", []*Definition{parse(`performed "A" within 30d`)}, Needs{Events: []string{"A"}}},
		{"filters and traits", []*Definition{parse(`performed "A" where n > 1 and not trait plan = "pro" or sequence "B" then "C" within 2d`)},
			Needs{Events: []string{"A", "B", "C"}, Payload: []string{"A"}, Columns: []Column{{Event: "A", Path: "n"}}, Traits: true,
				TraitPaths: []string{"plan"}}},
		{"edges and channel", []*Definition{parse(`last_performed "D" has k = "x"`), parse(`channel channels ["web"] within 1d`)},
			Needs{Events: []string{"D"}, Payload: []string{"D"}, Columns: []Column{{Event: "D", Path: "k"}}, AnyEvent: true}},
		{"through in_segment", []*Definition{parse(`in_segment any ["vip", "gone"]`)},
			Needs{Events: []string{"Order Completed"}, Payload: []string{"Order Completed"}, Columns: []Column{{Event: "Order Completed", Path: "revenue"}}}},
		{"a count reads no payload", []*Definition{parse(`aggregate count of "E" within 7d >= 2`)}, Needs{Events: []string{"E"}}},
		{"context and repeated paths", []*Definition{parse(`performed "F" where context.app.version = "2", a.b > 1`),
			parse(`first_performed "F" where a.b > 2 has plan = "x"`)},
			Needs{Events: []string{"F"}, Payload: []string{"F"}, Columns: []Column{{Event: "F", Path: "a.b"}, {Event: "F", Path: "plan"},
				{Event: "F", Context: true, Path: "app.version"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NeedsOf(tt.defs, lookup)
			if len(got.Payload) == 0 {
				got.Payload = nil
			}
			if len(got.Events) == 0 {
				got.Events = nil
			}
			if len(got.Columns) == 0 {
				got.Columns = nil
			}
			if len(got.TraitPaths) == 0 {
				got.TraitPaths = nil
			}
			require.Equal(t, tt.want, got)
		})
	}
}

func TestReadsTrait(t *testing.T) {
	t.Parallel()
	n := Needs{TraitPaths: []string{"address.city", "plan"}}
	for path, want := range map[string]bool{
		"plan": true, "address": true, "address.city": true, // the path, or an object holding it
		"plans": false, "pla": false, "address.zip": false, "addr": false, "city": false,
	} {
		require.Equal(t, want, n.ReadsTrait(path), path)
	}
	require.Equal(t, []string{"address", "address.city", "plan"}, n.TraitKeys())
	for _, k := range n.TraitKeys() {
		require.True(t, n.ReadsTrait(k), k)
	}
}

// columnSnapshot keeps the events needs names, each with only the values
// of its columns, and the traits it reads (what a backfill reads).
func columnSnapshot(snap Snapshot, needs Needs) Snapshot {
	out := Snapshot{ProfileID: snap.ProfileID, Traits: map[string]any{}}
	for k, v := range snap.Traits {
		if needs.ReadsTrait(k) {
			out.Traits[k] = v
		}
	}
	for _, e := range snap.Events {
		if !needs.AnyEvent && !slices.Contains(needs.Events, e.Name) {
			continue
		}
		var cols []Column
		var vals []any
		for _, c := range needs.Columns {
			if c.Event == e.Name {
				v, _ := ColumnValue(c, &e)
				cols, vals = append(cols, c), append(vals, v)
			}
		}
		out.Events = append(out.Events, ColumnEvent(e, cols, vals))
	}
	return out
}

// TestColumnEventsEvaluateAlike checks, for random definitions and
// histories, that the events NeedsOf names, carrying only its columns, and
// the traits it reads evaluate as the whole profile does.
func TestColumnEventsEvaluateAlike(t *testing.T) {
	t.Parallel()
	differ := 0 // evaluations that change when the columns are left out
	for seed := range uint64(400) {
		r := rand.New(rand.NewPCG(seed, 0xc01))
		src := (&defGen{r: r}).node(0)
		def, err := ParseText(src)
		require.NoError(t, err, src)
		needs := NeedsOf([]*Definition{def}, nil)
		var snap Snapshot
		snap.ProfileID = "p"
		for _, it := range genStream(r, []string{"p"}, 5+r.IntN(30)) {
			if it.event != nil {
				snap.Events = append(snap.Events, *it.event)
			} else {
				snap.Traits = it.traits
			}
		}
		cols := columnSnapshot(snap, needs)
		bare := columnSnapshot(snap, Needs{Events: needs.Events, AnyEvent: needs.AnyEvent, TraitPaths: needs.TraitPaths})
		last := snap.Events[len(snap.Events)-1].Timestamp
		for range 5 {
			now := t0.Add(time.Duration(r.Int64N(int64(last.Sub(t0) + 4*day))))
			want, werr := Evaluate(def, snap, now, nil)
			got, gerr := Evaluate(def, cols, now, nil)
			require.Equal(t, werr == nil, gerr == nil, "seed %d: %s", seed, src)
			require.Equal(t, want, got, "seed %d: %s", seed, src)
			if b, _ := Evaluate(def, bare, now, nil); b != want {
				differ++
			}
		}
	}
	require.Positive(t, differ, "no definition read a column: the test would pass with none")
}
