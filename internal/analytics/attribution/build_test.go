package attribution

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBuildPaths(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	at := func(d int) time.Time { return t0.Add(time.Duration(d) * day) }
	touches := []Touch{
		{Customer: "u1", Time: at(0), Channel: "email", Campaign: "spring"},
		{Customer: "u1", Time: at(20), Channel: "search"},
		{Customer: "u1", Time: at(25), Channel: "email", Campaign: "spring"},
		{Customer: "u1", Time: at(26), Channel: "social", Campaign: "launch"},
		{Customer: "u1", Time: at(40), Channel: "email", Campaign: "summer"},
		{Customer: "u2", Time: at(3), Channel: "social", Campaign: "launch"},
		{Customer: "u3", Time: at(60), Channel: "search"}, // after End
		{Customer: "u4", Time: at(1), Channel: ""},
	}
	conversions := []Conversion{
		{Customer: "u1", Time: at(26), Value: 50}, // touch at the same instant counts
		{Customer: "u1", Time: at(30), Value: 20}, // nothing since the last conversion
		{Customer: "u2", Time: at(4), Value: 9},
		{Customer: "u4", Time: at(2), Value: 1},
		{Customer: "u5", Time: at(90), Value: 7}, // after End
	}
	tests := []struct {
		name string
		opts BuildOptions
		want []Path
		lost Unattributed
	}{
		{"channels, 10-day lookback", BuildOptions{Lookback: 10 * day, End: at(45)}, []Path{
			{Channels: []string{"search", "email", "social"}, Times: []time.Time{at(20), at(25), at(26)}, ConvertedAt: at(26), Conversions: 1, Value: 50},
			{Channels: []string{"email"}, Times: []time.Time{at(40)}, Nulls: 1},
			{Channels: []string{"social"}, Times: []time.Time{at(3)}, ConvertedAt: at(4), Conversions: 1, Value: 9},
			{Channels: []string{NoLabel}, Times: []time.Time{at(1)}, ConvertedAt: at(2), Conversions: 1, Value: 1},
		}, Unattributed{Conversions: 1, Value: 20}},
		{"campaigns, no lookback, no end", BuildOptions{By: ByCampaign}, []Path{
			{Channels: []string{"spring", NoLabel, "spring", "launch"}, Times: []time.Time{at(0), at(20), at(25), at(26)}, ConvertedAt: at(26), Conversions: 1, Value: 50},
			{Channels: []string{"summer"}, Times: []time.Time{at(40)}, Nulls: 1},
			{Channels: []string{"launch"}, Times: []time.Time{at(3)}, ConvertedAt: at(4), Conversions: 1, Value: 9},
			{Channels: []string{NoLabel}, Times: []time.Time{at(60)}, Nulls: 1},
			{Channels: []string{NoLabel}, Times: []time.Time{at(1)}, ConvertedAt: at(2), Conversions: 1, Value: 1},
		}, Unattributed{Conversions: 2, Value: 27}},
		{"lookback from End drops old null touches", BuildOptions{Lookback: 2 * day, End: at(45)}, []Path{
			{Channels: []string{"email", "social"}, Times: []time.Time{at(25), at(26)}, ConvertedAt: at(26), Conversions: 1, Value: 50},
			{Channels: []string{"social"}, Times: []time.Time{at(3)}, ConvertedAt: at(4), Conversions: 1, Value: 9},
			{Channels: []string{NoLabel}, Times: []time.Time{at(1)}, ConvertedAt: at(2), Conversions: 1, Value: 1},
		}, Unattributed{Conversions: 1, Value: 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			paths, lost := BuildPaths(touches, conversions, tt.opts)
			require.Equal(t, tt.want, paths)
			require.Equal(t, tt.lost, lost)
		})
	}
}

// Paths built from events carry times, so every model runs, time decay
// included, and per-campaign credit is a run over campaign-keyed paths.
func TestBuildThenRun(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	touches := []Touch{
		{Customer: "a", Time: t0, Channel: "email", Campaign: "c1"},
		{Customer: "a", Time: t0.Add(7 * 24 * time.Hour), Channel: "search", Campaign: "c2"},
		{Customer: "b", Time: t0, Channel: "search", Campaign: "c2"},
	}
	conversions := []Conversion{{Customer: "a", Time: t0.Add(7 * 24 * time.Hour), Value: 30}}
	for _, by := range []Dimension{ByChannel, ByCampaign} {
		paths, _ := BuildPaths(touches, conversions, BuildOptions{By: by})
		res, err := Run(paths, nil, Options{IncludeNulls: true})
		require.NoError(t, err)
		require.Empty(t, res.Notes)
		require.Equal(t, AllModels, res.ModelNames)
		requireSums(t, res)
		first, second := "email", "search"
		if by == ByCampaign {
			first, second = "c1", "c2"
		}
		require.InDelta(t, 1.0/3, credit(t, res, TimeDecay, first).Conversions, 1e-12, "one half-life older")
		require.InDelta(t, 20, credit(t, res, TimeDecay, second).Value, 1e-12)
	}
}
