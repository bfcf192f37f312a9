package source_test

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/source"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// TestEachPages seeds more profiles than one FindProfiles page and more
// entries on one profile than one Timeline page, so both cursors are used.
func TestEachPages(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.OpenState(ctx, filepath.Join(t.TempDir(), "state.db"), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })
	b := &store.ProcessBatch{Checkpoint: 1}
	const profiles, heavy = 1001, 2100
	for i := range profiles {
		id := fmt.Sprintf("p%05d", i)
		b.Profiles = append(b.Profiles, store.Profile{ID: id, FirstSeen: t0, LastSeen: t0, Sources: []string{}, Channels: []string{}})
		n := 1
		if i == 7 {
			n = heavy
		}
		for k := range n {
			b.Timeline = append(b.Timeline, store.TimelineEntry{ProfileID: id, Seq: int64(len(b.Timeline) + 1),
				Timestamp: t0.Add(time.Duration(k) * time.Minute), Type: "track", Event: "Order Completed", SourceID: "src", Channel: "web"})
		}
		if i%2 == 0 {
			b.Timeline = append(b.Timeline, store.TimelineEntry{ProfileID: id, Seq: int64(len(b.Timeline) + 1),
				Timestamp: t0, Type: "page", Event: "Home", SourceID: "src", Channel: "web"})
		}
	}
	require.NoError(t, st.Apply(ctx, b))

	tests := []struct {
		name           string
		f              source.Filter
		profiles, rows int
	}{
		{"every entry", source.Filter{}, profiles, profiles - 1 + heavy + (profiles+1)/2},
		{"one event", source.Filter{Type: "track", Event: "Order Completed"}, profiles, profiles - 1 + heavy},
		{"pages only", source.Filter{Type: "page"}, (profiles + 1) / 2, (profiles + 1) / 2},
		{"until", source.Filter{Event: "Order Completed", Until: t0.Add(10 * time.Minute)}, profiles, profiles - 1 + 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen, rows := map[string]bool{}, 0
			err := source.Each(ctx, st, tc.f, func(id string, es []store.TimelineEntry) error {
				require.False(t, seen[id], "profile %s twice", id)
				seen[id] = true
				rows += len(es)
				for i := 1; i < len(es); i++ {
					require.False(t, es[i].Timestamp.Before(es[i-1].Timestamp), "oldest first")
				}
				return nil
			})
			require.NoError(t, err)
			require.Len(t, seen, tc.profiles)
			require.Equal(t, tc.rows, rows)
		})
	}
}
