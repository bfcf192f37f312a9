package app

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// /readyz must not say ready between the start of serve --demo and the
// processor reaching the last demo event: tests and scripts wait on it and
// then read profiles.
func TestReadyWaitsForTheDemoData(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.a.ExpectDemo()
	require.ErrorContains(t, s.a.ready(t.Context()), "loading the demo data set")
	require.NoError(t, s.a.LoadDemo(t.Context(), DemoOptions{Customers: 50, Seed: 5}))
	st, err := s.a.Log.Stats(t.Context())
	require.NoError(t, err)
	if err := s.a.ready(t.Context()); err == nil {
		require.GreaterOrEqual(t, s.a.Processor.Checkpoint(), st.Head, "ready only once the demo data is processed")
	} else {
		require.ErrorContains(t, err, "processing the demo data")
	}
	s.settle()
	require.NoError(t, s.a.ready(t.Context()))
}
