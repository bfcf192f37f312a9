package attribution

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// datasets is the shared reference-data folder, outside the repository.
const datasets = "../../../../shared/datasets/channel_attribution"

func loadPaths(tb testing.TB, name string) []Path {
	tb.Helper()
	f, err := os.Open(filepath.Join(datasets, name))
	if err != nil && os.Getenv("CAIRN_REQUIRE_DATASETS") != "1" {
		tb.Skipf("reference dataset not available (CAIRN_REQUIRE_DATASETS=1 makes this a failure): %v", err)
	}
	require.NoError(tb, err)
	defer f.Close()
	paths, err := ParsePaths(f, ParseOptions{})
	require.NoError(tb, err)
	return paths
}

// credit returns the credit of channel in model m.
func credit(tb testing.TB, res Result, m, channel string) ChannelCredit {
	tb.Helper()
	for _, c := range res.Models[m] {
		if c.Channel == channel {
			return c
		}
	}
	require.Failf(tb, "no credit", "model %s has no channel %s", m, channel)
	return ChannelCredit{}
}

// requireSums checks that every model in res hands out exactly the totals,
// with shares summing to 1 and no negative or NaN credit.
func requireSums(tb testing.TB, res Result) {
	tb.Helper()
	for _, m := range res.ModelNames {
		var conv, value, share float64
		for _, c := range res.Models[m] {
			for _, v := range []float64{c.Conversions, c.Value, c.Share} {
				require.False(tb, math.IsNaN(v) || v < -1e-12, "model %s channel %s: %v", m, c.Channel, c)
			}
			conv += c.Conversions
			value += c.Value
			share += c.Share
		}
		require.InDelta(tb, res.Totals.Conversions, conv, 1e-9*max(1, res.Totals.Conversions), "model %s conversions", m)
		require.InDelta(tb, res.Totals.Value, value, 1e-9*max(1, res.Totals.Value), "model %s value", m)
		if res.Totals.Conversions > 0 {
			require.InDelta(tb, 1, share, 1e-12, "model %s shares", m)
		}
	}
}

func p(conv, nulls float64, channels ...string) Path {
	return Path{Channels: channels, Conversions: conv, Value: 10 * conv, Nulls: nulls}
}
