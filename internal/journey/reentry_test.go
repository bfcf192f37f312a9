package journey

import (
	"strings"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

func TestReEntryPolicies(t *testing.T) {
	t.Parallel()
	// A journey that ends at once (completed) or holds (wait) so a second
	// entry meets an exited or an active instance.
	src := func(reentry string, holds bool) string {
		body := `{"id":"a","exit":{}}`
		if holds {
			body = `{"id":"a","delay":{"duration":"30d"}}`
		}
		return `{"id":"r","name":"R","entry":{"event":{"name":"Go"},"next":"a"},"reentry":` + reentry + `,"nodes":[` + body + `]}`
	}
	tests := []struct {
		name    string
		reentry string
		holds   bool
		gaps    []time.Duration // times of the entry events after t0
		want    int             // instances created
	}{
		{"never: once only", `{}`, false, []time.Duration{0, time.Hour, 48 * time.Hour}, 1},
		{"after_exit: again once exited", `{"mode":"after_exit"}`, false, []time.Duration{0, time.Hour, 2 * time.Hour}, 3},
		{"after_exit: not while active", `{"mode":"after_exit"}`, true, []time.Duration{0, time.Hour}, 1},
		{"after_exit with a minimum interval", `{"mode":"after_exit","min_interval":"1d"}`, false, []time.Duration{0, time.Hour, 25 * time.Hour}, 2},
		{"anytime: concurrent instances", `{"mode":"anytime"}`, true, []time.Duration{0, time.Minute, 2 * time.Minute}, 3},
		{"anytime with a maximum count", `{"mode":"anytime","max_entries":2}`, true, []time.Duration{0, time.Minute, 2 * time.Minute}, 2},
		{"anytime with a minimum interval", `{"mode":"anytime","min_interval":"1h"}`, true, []time.Duration{0, 30 * time.Minute, 61 * time.Minute}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, src(tc.reentry, tc.holds))
			for i, g := range tc.gaps {
				h.event(t0.Add(g), "Go", map[string]any{"n": float64(i)}, false)
			}
			require.Len(t, h.rows, tc.want)
		})
	}
}

func TestPinnedVersionsDrain(t *testing.T) {
	t.Parallel()
	v1 := `{"id":"p","name":"P","entry":{"event":{"name":"Go"},"next":"d"},"nodes":[{"id":"d","delay":{"duration":"1h"},"next":"m"},{"id":"m","message":{"channel":"email","template":"v1"}}]}`
	v2 := strings.Replace(strings.Replace(v1, `"template":"v1"`, `"template":"v2"`, 1), `"duration":"1h"`, `"duration":"2h"`, 1)
	old := newHarness(t, v1)
	old.event(t0, "Go", nil, false) // enters version 1

	// Publish version 2: version 1 stays loaded for its instances; entries use version 2.
	parse := func(src string) *Definition {
		d, err := ParseJSON([]byte(src))
		require.NoError(t, err)
		require.NoError(t, d.Validate(nil))
		return d
	}
	cat := NewCatalog([]store.Journey{{ID: "p", Status: store.JourneyLive, LiveVersion: 2}},
		[]*Version{{JourneyID: "p", Number: 1, Def: parse(v1)}, {JourneyID: "p", Number: 2, Def: parse(v2)}})
	old.cat = cat
	fresh := &harness{t: t, cat: cat, rows: map[string]store.JourneyInstance{}, timers: map[string]store.Timer{}, traits: map[string]any{}}
	fresh.event(t0.Add(30*time.Minute), "Go", nil, false)
	require.Equal(t, 2, fresh.only().Version)

	fx := old.fire(t0.Add(time.Hour))
	require.Len(t, fx.Sends, 1)
	require.Equal(t, "v1", fx.Sends[0].TemplateID, "the old instance finishes on the version it entered")
	require.Equal(t, 1, fx.Sends[0].Version)
	require.Empty(t, fresh.fire(t0.Add(time.Hour+30*time.Minute)).Sends, "version 2 waits 2h")
	fx = fresh.fire(t0.Add(150 * time.Minute))
	require.Len(t, fx.Sends, 1)
	require.Equal(t, "v2", fx.Sends[0].TemplateID)

	// Paused or stopped: no new entries.
	for _, status := range []string{store.JourneyPaused, store.JourneyStopped} {
		c := NewCatalog([]store.Journey{{ID: "p", Status: status, LiveVersion: 2}}, []*Version{{JourneyID: "p", Number: 2, Def: parse(v2)}})
		h := &harness{t: t, cat: c, rows: map[string]store.JourneyInstance{}, timers: map[string]store.Timer{}, traits: map[string]any{}}
		h.event(t0, "Go", nil, false)
		require.Empty(t, h.rows, status)
	}
}
