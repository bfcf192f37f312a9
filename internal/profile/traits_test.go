package profile

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

func TestFlattenAndAssembleRoundTrip(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		in    string
		paths []string
	}{
		{"flat", `{"email":"a@b.c","age":31}`, []string{"age", "email"}},
		{"nested", `{"address":{"city":"Denver","geo":{"lat":39.7}}}`, []string{"address.city", "address.geo.lat"}},
		{"array and null leaves", `{"tags":["a","b"],"x":null,"e":{}}`, []string{"e", "tags", "x"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var in map[string]any
			require.NoError(t, json.Unmarshal([]byte(tc.in), &in))
			leaves := Flatten(in)
			var paths []string
			var traits []store.Trait
			for _, l := range leaves {
				paths = append(paths, l.Path)
				traits = append(traits, store.Trait{Path: l.Path, Value: l.Value})
			}
			require.Equal(t, tc.paths, paths)
			out, err := json.Marshal(Assemble(traits))
			require.NoError(t, err)
			require.JSONEq(t, tc.in, string(out))
		})
	}
}

func TestConflictsAndNewer(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	stored := map[string]store.Trait{
		"address":      {Path: "address", Time: t0},
		"address.city": {Path: "address.city", Time: t0},
		"addressee":    {Path: "addressee", Time: t0},
	}
	require.Equal(t, []string{"address.city"}, Conflicts("address", stored))
	require.Equal(t, []string{"address"}, Conflicts("address.city", stored))
	require.True(t, Newer(t0, stored["address"]))
	require.False(t, Newer(t0.Add(-time.Second), stored["address"]))
}
