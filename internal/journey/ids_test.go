package journey

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestIDsAreStableAndSortByInstant(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	mk := map[string]func(time.Time, string) string{
		"instance": func(at time.Time, part string) string { return InstanceID("welcome", "p1", part, "", at) },
		"send":     func(at time.Time, part string) string { return SendKey("welcome", 1, "ji_x", part, 1, at) },
		"event":    func(at time.Time, part string) string { return eventID("ji_x", 1, part, at) },
	}
	prefix := map[string]string{"instance": "ji_", "send": "sk_", "event": "je_"}
	for name, id := range mk {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := id(at, "a")
			require.Equal(t, a, id(at, "a"), "the same parts and instant give the same id (a replay)")
			require.NotEqual(t, a, id(at, "b"), "different parts, different ids")
			require.NotEqual(t, a, id(at.Add(time.Nanosecond), "a"), "the instant is part of the id")
			require.True(t, strings.HasPrefix(a, prefix[name]), a)
			// Ids written later sort later, whatever their other parts.
			var ids []string
			for i := range 50 {
				ids = append(ids, id(at.Add(time.Duration(i)*time.Millisecond), string(rune('z'-i%26))))
			}
			require.True(t, slices.IsSorted(ids), "ids do not sort by instant: %v", ids)
		})
	}
}

func TestScheduledInstancesSortByProfile(t *testing.T) {
	t.Parallel()
	run := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	profiles := []string{"p_aaaa7", "p_aab2q", "p_b2222", "p_zz777", "p_2abcd"}
	slices.Sort(profiles) // members are read in profile id order
	var ids []string
	for _, p := range profiles {
		ids = append(ids, InstanceID("weekly", p, "schedule:"+run.Format(time.RFC3339), "", run))
	}
	require.True(t, slices.IsSorted(ids), "one run's instances do not sort like its members: %v", ids)
	require.Len(t, ids[0], len("ji_")+44)
	require.NotEqual(t, InstanceID("weekly", "p_1", "t", "", run), InstanceID("daily", "p_1", "t", "", run))
}
