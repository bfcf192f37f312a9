package pipeline

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

func TestQuintiles(t *testing.T) {
	t.Parallel()
	rows := make([]rfmRow, 10)
	for i := range rows {
		rows[i].orders = float64(i)
	}
	require.Equal(t, []int{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}, quintiles(rows, func(r rfmRow) float64 { return r.orders }))
	for i := range rows {
		rows[i].orders = 1 // all tied: all in the first quintile
	}
	require.Equal(t, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, quintiles(rows, func(r rfmRow) float64 { return r.orders }))
	require.Empty(t, quintiles(nil, func(r rfmRow) float64 { return r.orders }))
}

// RFM scores come from the built-in purchase traits and land on purchasers only.
func TestRebinRFM(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	for _, src := range []string{
		`{"name":"order_count","kind":"count","event":"Order Completed"}`,
		`{"name":"lifetime_revenue","kind":"sum","event":"Order Completed","property":"revenue"}`,
		`{"name":"last_purchase_at","kind":"last","event":"Order Completed","property":"timestamp"}`,
	} {
		d, err := segment.ParseComputed([]byte(src))
		require.NoError(t, err)
		_, err = h.state.PutComputedTrait(ctx, store.ComputedTrait{Name: d.Name, Definition: d.JSON(), UpdatedAt: t0})
		require.NoError(t, err)
	}
	p := h.processor(t, 500)
	order := func(user, msg string, revenue float64, ago time.Duration) *event.Event {
		e := track(user, "Order Completed", msg, t0.Add(-ago))
		e.Raw = []byte(fmt.Sprintf(`{"type":"track","userId":%q,"event":"Order Completed","messageId":%q,"properties":{"revenue":%g}}`, user, msg, revenue))
		return e
	}
	// u0: old, one cheap order; u4: recent, many, expensive.
	var evs []*event.Event
	for u := range 5 {
		for k := range u + 1 {
			evs = append(evs, order(fmt.Sprintf("u%d", u), fmt.Sprintf("o%d-%d", u, k), float64(10*(u+1)), time.Duration(50-10*u)*24*time.Hour+time.Duration(k)*time.Minute))
		}
	}
	evs = append(evs, track("browser", "Product Viewed", "v1", t0.Add(-time.Hour)))
	h.append(t, evs...)
	require.NoError(t, p.CatchUp(ctx))

	done := make(chan error, 1)
	runCtx, cancel := context.WithCancel(ctx)
	go func() { done <- p.Run(runCtx) }()
	// A score left from an earlier re-binning, on a customer who no longer
	// has purchases: the re-binning removes it.
	_, err := p.SetModelTraits(ctx, map[string]map[string]any{h.profileOf(t, "browser"): {"rfm_score": "999"}})
	require.NoError(t, err)
	n, err := p.RebinRFM(ctx)
	cancel()
	require.NoError(t, <-done)
	require.NoError(t, err)
	require.Equal(t, 6, n, "five purchasers scored, one stale score removed")
	score := func(user string) string {
		rows, err := h.state.ProfileTraits(ctx, h.profileOf(t, user))
		require.NoError(t, err)
		for _, r := range rows {
			if r.Path == "rfm_score" {
				return string(r.Value)
			}
		}
		return ""
	}
	require.Equal(t, `"111"`, score("u0"))
	require.Equal(t, `"555"`, score("u4"))
	require.Equal(t, "", score("browser"), "no purchase, no score")
}
