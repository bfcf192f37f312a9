package policy

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/segment"
)

// TestControlGroupMatchesSegment: a segment `random_bucket` with the same
// percent and salt selects exactly the profiles the control group contains.
func TestControlGroupMatchesSegment(t *testing.T) {
	t.Parallel()
	groups := []ControlGroup{
		{Percent: 10, Salt: "global-control"},
		{Percent: 12.5, Salt: ""},
		{Percent: 0.01, Salt: "tiny"},
		{Percent: 99.99, Salt: "big"},
		{Percent: 0, Salt: "none"},
		{Percent: 100, Salt: "all"},
		{Percent: 33.33, Salt: "ünïcode ✓ \"quoted\""},
		Holdout("journey-42", 5),
	}
	now := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	for _, g := range groups {
		t.Run(fmt.Sprintf("%v %q", g.Percent, g.Salt), func(t *testing.T) {
			t.Parallel()
			require.NoError(t, g.Validate())
			cond := map[string]any{"percent": g.Percent}
			if g.Salt != "" {
				cond["salt"] = g.Salt // the segment language spells no salt by leaving it out
			}
			src, err := json.Marshal(map[string]any{"random_bucket": cond})
			require.NoError(t, err)
			def, err := segment.ParseJSON(src)
			require.NoError(t, err)
			in := 0
			for i := range 5000 {
				id := fmt.Sprintf("profile-%d", i)
				want, err := segment.Evaluate(def, segment.Snapshot{ProfileID: id}, now, nil)
				require.NoError(t, err)
				require.Equal(t, want, g.Contains(id), id)
				if want {
					in++
				}
			}
			require.InDelta(t, g.Percent*50, in, 5000*0.03+1, "share of 5000 profiles")
		})
	}
}

// TestControlGroupHash reproduces the hash with hash/fnv on random inputs,
// including non-UTF-8 bytes and empty strings.
func TestControlGroupHash(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	randStr := func() string {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return string(b)
	}
	for range 2000 {
		salt, id := randStr(), randStr()
		p := float64(r.IntN(10001)) / 100
		h := fnv.New64a()
		_, _ = h.Write([]byte(salt)) //nolint:errcheck // hash writes never fail
		_, _ = h.Write([]byte{0})    //nolint:errcheck // hash writes never fail
		_, _ = h.Write([]byte(id))   //nolint:errcheck // hash writes never fail
		want := h.Sum64()%10000 < uint64(math.Round(p*100))
		require.Equal(t, want, ControlGroup{Percent: p, Salt: salt}.Contains(id))
	}
}

// TestControlGroupVectors pins buckets computed outside Go (a ten-line
// Python FNV-1a 64), so a change of hash or input layout fails loudly.
func TestControlGroupVectors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		salt, id string
		bucket   int // FNV-1a 64(salt "\x00" id) % 10000
	}{
		{"", "", 7455},
		{"salt", "user-1", 4322},
		{"holdout:j1", "p", 8019},
		{"global-control", "0b5c2a8e-7d4f-4c1e-9a3b-1f2e3d4c5b6a", 3933},
	}
	for _, tc := range cases {
		t.Run(tc.salt+"/"+tc.id, func(t *testing.T) {
			t.Parallel()
			// In once the share passes the bucket, out at the bucket itself.
			require.True(t, ControlGroup{Percent: float64(tc.bucket+1) / 100, Salt: tc.salt}.Contains(tc.id))
			require.False(t, ControlGroup{Percent: float64(tc.bucket) / 100, Salt: tc.salt}.Contains(tc.id))
		})
	}
}

func TestControlGroupValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		p  float64
		ok bool
	}{
		{0, true}, {100, true}, {12.5, true}, {0.01, true}, {15, true},
		{-1, false}, {100.01, false}, {1.234, false}, {math.NaN(), false}, {math.Inf(1), false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.p), func(t *testing.T) {
			t.Parallel()
			err := ControlGroup{Percent: tc.p}.Validate()
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, ErrInvalid)
			}
		})
	}
}

func TestControlGroupOutOfRange(t *testing.T) {
	t.Parallel()
	for i := range 100 {
		id := fmt.Sprint(i)
		require.False(t, ControlGroup{Percent: -5}.Contains(id))
		require.False(t, ControlGroup{Percent: math.NaN()}.Contains(id))
		require.True(t, ControlGroup{Percent: 250}.Contains(id))
	}
}

// TestHoldoutIsIndependent: holdouts of different journeys and the global
// group overlap about as much as independent draws would.
func TestHoldoutIsIndependent(t *testing.T) {
	t.Parallel()
	global := ControlGroup{Percent: 10, Salt: "global"}
	a, b := Holdout("journey-a", 10), Holdout("journey-b", 10)
	require.Equal(t, "holdout:journey-a", a.Salt)
	inA, both, withGlobal := 0, 0, 0
	for i := range 20000 {
		id := fmt.Sprintf("p%d", i)
		if a.Contains(id) {
			inA++
			if b.Contains(id) {
				both++
			}
			if global.Contains(id) {
				withGlobal++
			}
		}
	}
	require.InDelta(t, 2000, inA, 200)
	require.InDelta(t, 200, both, 70)
	require.InDelta(t, 200, withGlobal, 70)
}

func BenchmarkControlGroupContains(b *testing.B) {
	g := ControlGroup{Percent: 10, Salt: "global-control"}
	b.ReportAllocs()
	for b.Loop() {
		g.Contains("0b5c2a8e-7d4f-4c1e-9a3b-1f2e3d4c5b6a")
	}
}
