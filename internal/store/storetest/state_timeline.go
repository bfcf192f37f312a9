package storetest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

func runTimeline(t *testing.T, open Opener) {
	t.Parallel()
	_, s := open(t)
	ctx := t.Context()
	// p1 has 12 entries; seqs 5 and 6 share a timestamp, as do 9 and 10. p2 has 3.
	var all []store.TimelineEntry
	types := []string{"track", "page", "identify"}
	for seq := int64(1); seq <= 12; seq++ {
		n := int(seq)
		if seq == 6 || seq == 10 {
			n-- // same timestamp as the previous seq
		}
		all = append(all, entry("p1", seq, n, types[seq%3], fmt.Sprintf("E%d", seq%2)))
	}
	other := []store.TimelineEntry{entry("p2", 13, 2, "track", "E1"), entry("p2", 14, 20, "track", "E0"), entry("p2", 15, 7, "page", "E1")}
	mustApply(t, s, &store.ProcessBatch{Checkpoint: 15, Timeline: append(append([]store.TimelineEntry{}, all...), other...)})

	newestFirst := func(in []store.TimelineEntry, keep func(store.TimelineEntry) bool) []store.TimelineEntry {
		var out []store.TimelineEntry
		for i := len(in) - 1; i >= 0; i-- {
			if keep(in[i]) {
				out = append(out, in[i])
			}
		}
		// Entries were built in (timestamp, seq) order, so reversing is newest first.
		return out
	}
	byTime := func(e store.TimelineEntry) bool { return true }
	both := make([]store.TimelineEntry, 0, 15)
	// Merge p1 and p2 in (timestamp, seq) order, then reverse.
	merged := append(append([]store.TimelineEntry{}, all...), other...)
	sortEntries(merged)
	both = newestFirst(merged, byTime)

	cases := []struct {
		name string
		q    store.TimelineQuery
		want []store.TimelineEntry
	}{
		{"all", store.TimelineQuery{ProfileIDs: []string{"p1"}}, newestFirst(all, byTime)},
		{"type", store.TimelineQuery{ProfileIDs: []string{"p1"}, Type: "page"},
			newestFirst(all, func(e store.TimelineEntry) bool { return e.Type == "page" })},
		{"event", store.TimelineQuery{ProfileIDs: []string{"p1"}, Event: "E1"},
			newestFirst(all, func(e store.TimelineEntry) bool { return e.Event == "E1" })},
		{"events", store.TimelineQuery{ProfileIDs: []string{"p1"}, Events: []string{"E0", "E2", "nosuch"}},
			newestFirst(all, func(e store.TimelineEntry) bool { return e.Event == "E0" || e.Event == "E2" })},
		{"event and events", store.TimelineQuery{ProfileIDs: []string{"p1", "p2"}, Event: "E0", Events: []string{"E0", "E2"}},
			newestFirst(merged, func(e store.TimelineEntry) bool { return e.Event == "E0" })},
		{"type and event", store.TimelineQuery{ProfileIDs: []string{"p1"}, Type: "track", Event: "E0"},
			newestFirst(all, func(e store.TimelineEntry) bool { return e.Type == "track" && e.Event == "E0" })},
		{"since inclusive, until exclusive", store.TimelineQuery{ProfileIDs: []string{"p1"}, Since: at(5), Until: at(9)},
			newestFirst(all, func(e store.TimelineEntry) bool { return !e.Timestamp.Before(at(5)) && e.Timestamp.Before(at(9)) })},
		{"several profiles", store.TimelineQuery{ProfileIDs: []string{"p1", "p2"}}, both},
		{"unknown profile", store.TimelineQuery{ProfileIDs: []string{"nosuch"}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, limit := range []int{1, 2, 5, 50} {
				q := tc.q
				q.Limit = limit
				var got []store.TimelineEntry
				for range 100 {
					page, err := s.Timeline(ctx, q)
					require.NoError(t, err)
					require.LessOrEqual(t, len(page), limit)
					got = append(got, page...)
					if len(page) < limit {
						break
					}
					q.CursorTime, q.CursorSeq = page[len(page)-1].Timestamp, page[len(page)-1].Seq
				}
				require.Equal(t, tc.want, got, "limit %d", limit)
			}
		})
	}
	t.Run("no profile ids", func(t *testing.T) {
		t.Parallel()
		got, err := s.Timeline(ctx, store.TimelineQuery{Limit: 5})
		require.NoError(t, err)
		require.Empty(t, got)
	})
}

func sortEntries(es []store.TimelineEntry) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && entryLess(es[j], es[j-1]); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func entryLess(a, b store.TimelineEntry) bool {
	if !a.Timestamp.Equal(b.Timestamp) {
		return a.Timestamp.Before(b.Timestamp)
	}
	return a.Seq < b.Seq
}

func runFindProfiles(t *testing.T, open Opener) {
	t.Parallel()
	_, s := open(t)
	ctx := t.Context()
	var (
		profiles []store.Profile
		traits   []store.ProfileTrait
	)
	for i := range 9 {
		id := fmt.Sprintf("p%d", i)
		profiles = append(profiles, profile(id, i, i, 1))
		plan := `"free"`
		if i%3 == 0 {
			plan = `"pro"`
		}
		traits = append(traits, ptrait(id, "plan", plan, i), ptrait(id, "age", fmt.Sprint(30+i%2), i))
	}
	traits = append(traits, ptrait("p1", "tags", `["a", "b"]`, 1))
	mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Profiles: profiles, Traits: traits})
	// p6 is merged into p0: it disappears from listings.
	mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Merges: []store.Merge{{Winner: "p0", Loser: "p6", Time: at(9)}}})
	merged := profiles[6]
	merged.MergedInto = "p0"
	alive := append(append([]store.Profile{}, profiles[:6]...), profiles[7:]...)

	page := func(path string, value json.RawMessage, limit int) []store.Profile {
		var out []store.Profile
		after := ""
		for range 100 {
			got, err := s.FindProfiles(ctx, path, value, after, limit)
			require.NoError(t, err)
			out = append(out, got...)
			if len(got) < limit {
				return out
			}
			after = got[len(got)-1].ID
		}
		return out
	}
	cases := []struct {
		name  string
		path  string
		value string
		want  []store.Profile
	}{
		{"all survivors", "", "", alive},
		{"string value", "plan", `"pro"`, []store.Profile{profiles[0], profiles[3]}},
		{"value is compacted before comparing", "plan", ` "pro" `, []store.Profile{profiles[0], profiles[3]}},
		{"number", "age", `31`, []store.Profile{profiles[1], profiles[3], profiles[5], profiles[7]}},
		{"a number is not its string", "age", `"31"`, nil},
		{"array", "tags", "[\"a\",\n\"b\"]", []store.Profile{profiles[1]}},
		{"unknown path", "nosuch", `1`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, limit := range []int{1, 2, 100} {
				var v json.RawMessage
				if tc.value != "" {
					v = json.RawMessage(tc.value)
				}
				require.Equal(t, tc.want, page(tc.path, v, limit), "limit %d", limit)
			}
		})
	}
	t.Run("ids of survivors", func(t *testing.T) {
		t.Parallel()
		var want []string
		for _, p := range alive {
			want = append(want, p.ID)
		}
		for _, limit := range []int{1, 2, 100} {
			var got []string
			after := ""
			for range 100 {
				ids, err := s.ProfileIDs(ctx, after, limit)
				require.NoError(t, err)
				got = append(got, ids...)
				if len(ids) < limit {
					break
				}
				after = ids[len(ids)-1]
			}
			require.Equal(t, want, got, "limit %d", limit)
		}
		_, err := s.ProfileIDs(ctx, "", 0)
		require.Error(t, err, "a limit below 1 is refused")
	})
	t.Run("traits of a range of ids", func(t *testing.T) {
		t.Parallel()
		of := func(ids []string, paths ...string) []store.ProfileTrait {
			var want []store.ProfileTrait
			for _, tr := range traits {
				if slices.Contains(ids, tr.ProfileID) && (paths == nil || slices.Contains(paths, tr.Path)) {
					var b bytes.Buffer // stored compacted
					require.NoError(t, json.Compact(&b, tr.Value))
					tr.Value = b.Bytes()
					want = append(want, tr)
				}
			}
			slices.SortFunc(want, func(a, b store.ProfileTrait) int {
				return cmp.Or(cmp.Compare(a.ProfileID, b.ProfileID), cmp.Compare(a.Path, b.Path))
			})
			return want
		}
		cases := []struct {
			name        string
			first, last string
			paths       []string
			want        []store.ProfileTrait
		}{
			{"every path", "p1", "p3", nil, of([]string{"p1", "p2", "p3"})},
			{"some paths", "p0", "p2", []string{"plan", "tags"}, of([]string{"p0", "p1", "p2"}, "plan", "tags")},
			{"bounds between ids", "p1a", "p4~", []string{"age"}, of([]string{"p2", "p3", "p4"}, "age")},
			{"a merged profile's traits went with the merge", "p6", "p6", nil, nil},
			{"no path", "p0", "p9", []string{}, nil},
			{"empty range", "p5", "p4", nil, nil},
		}
		for _, tc := range cases {
			got, err := s.ProfileTraitsBetween(ctx, tc.first, tc.last, tc.paths)
			require.NoError(t, err, tc.name)
			if len(got) == 0 {
				got = nil
			}
			require.Equal(t, tc.want, got, tc.name)
		}
	})
	t.Run("count excludes merged profiles", func(t *testing.T) {
		t.Parallel()
		n, err := s.CountProfiles(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(len(alive)), n)
		got, err := s.GetProfile(ctx, "p6")
		require.NoError(t, err)
		require.Equal(t, merged, got)
	})
	t.Run("invalid value is refused", func(t *testing.T) {
		t.Parallel()
		_, err := s.FindProfiles(ctx, "plan", json.RawMessage(`{"x"`), "", 10)
		require.Error(t, err)
	})
}
