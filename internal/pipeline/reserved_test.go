package pipeline

import (
	"testing"

	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

// Identify traits Cairn keeps itself are not overwritten; the rest of the
// event applies and the skipped traits are a visible rejection.
func TestReservedTraitsAreNotOverwritten(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	_, err := h.state.PutComputedTrait(ctx, store.ComputedTrait{Name: "order_count", Definition: []byte(`{"name":"order_count","kind":"count","event":"Order Completed"}`), UpdatedAt: t0})
	require.NoError(t, err)
	p := h.processor(t, 100)
	h.append(t, identifyEv("u1", "i1", map[string]any{"first_name": "Ann", "lifecycle_stage": "vip", "order_count": 99, "cairn": map[string]any{"x": 1}}, t0))
	require.NoError(t, p.CatchUp(ctx))
	traits, err := h.state.ProfileTraits(ctx, h.profileOf(t, "u1"))
	require.NoError(t, err)
	got := map[string]string{}
	for _, tr := range traits {
		got[tr.Path] = string(tr.Value)
	}
	require.Equal(t, `"Ann"`, got["first_name"])
	require.NotContains(t, got, "lifecycle_stage")
	require.NotEqual(t, "99", got["order_count"])
	require.NotContains(t, got, "cairn.x")
	rej, err := h.log.Rejections(ctx, "", 0, 10)
	require.NoError(t, err)
	require.Len(t, rej, 1)
	require.Equal(t, ReasonReservedTrait, rej[0].Reason)
	require.Contains(t, rej[0].Detail, "lifecycle_stage")
	require.Contains(t, rej[0].Detail, "order_count")
}
