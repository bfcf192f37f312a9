package progress

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCounter(t *testing.T) {
	t.Parallel()
	require.Nil(t, From(context.Background()))
	From(context.Background()).Add(5) // a nil counter ignores updates
	require.Equal(t, Snapshot{}, From(context.Background()).Snapshot())

	c := &Counter{}
	ctx := With(context.Background(), c)
	require.Same(t, c, From(ctx))
	require.Equal(t, Snapshot{}, c.Snapshot(), "no total: no fraction")
	c.SetTotal(200)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { From(ctx).Add(10) })
	}
	wg.Wait()
	require.Equal(t, Snapshot{Done: 100, Total: 200, Fraction: 0.5}, c.Snapshot())
	c.Add(250)
	require.InDelta(t, 0.99, c.Snapshot().Fraction, 0, "capped below 1 while running")
}
