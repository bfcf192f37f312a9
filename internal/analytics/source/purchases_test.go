package source_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/source"
)

func TestNumber(t *testing.T) {
	m := map[string]any{
		"revenue": 12.5, "text": " 7.25 ", "bad": "n/a", "flag": true, "nan": "NaN",
		"order":      map[string]any{"total": 30.0},
		"flat.total": 4.0,
	}
	tests := []struct {
		path string
		want float64
		ok   bool
	}{
		{"revenue", 12.5, true},
		{"text", 7.25, true},
		{"order.total", 30, true},
		{"flat.total", 4, true},
		{"bad", 0, false},
		{"flag", 0, false},
		{"nan", 0, false},
		{"missing", 0, false},
		{"order.missing", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			got, ok := source.Number(m, tc.path)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
		})
	}
	require.Equal(t, "spring", source.String(map[string]any{"campaign": map[string]any{"name": " spring "}}, "campaign.name"))
	require.Empty(t, source.String(map[string]any{"campaign": 3.0}, "campaign.name"))
}

func FuzzNumber(f *testing.F) {
	for _, s := range []string{"1", " 2.5", "1e308", "Inf", "NaN", "-0", "0x1p3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := source.Number(map[string]any{"v": s}, "v")
		if !ok {
			require.Zero(t, v)
			return
		}
		require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "only finite numbers, got %v from %q", v, s)
	})
}
