package segment

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func lookupOf(tb testing.TB, defs map[string]string) SegmentLookup {
	tb.Helper()
	parsed := map[string]*Definition{}
	for id, src := range defs {
		parsed[id] = mustText(tb, src)
	}
	return func(id string) (*Definition, bool) {
		d, ok := parsed[id]
		return d, ok
	}
}

func TestEvaluateInSegment(t *testing.T) {
	t.Parallel()
	seg := lookupOf(t, map[string]string{
		"pro":   `trait plan = "pro"`,
		"adult": `trait age >= 18`,
		"loop":  `in_segment any ["loop"]`,
	})
	snap := Snapshot{ProfileID: "p", Traits: map[string]any{"plan": "pro", "age": float64(12)}}
	cases := []struct {
		name, def string
		want      bool
		err       error
	}{
		{"any", `in_segment any ["adult", "pro"]`, true, nil},
		{"all", `in_segment all ["adult", "pro"]`, false, nil},
		{"none", `in_segment none ["adult"]`, true, nil},
		{"unknown", `in_segment any ["ghost"]`, false, ErrUnknownSegment},
		{"cycle at eval", `in_segment any ["loop"]`, false, ErrCycle},
		{"message reserved", `message opened`, false, ErrNotAvailable},
		{"subscription reserved", `subscription "news" subscribed`, false, ErrNotAvailable},
		{"error not hidden by not", `not message opened`, false, ErrNotAvailable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Evaluate(mustText(t, tc.def), snap, t0, seg)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	_, err := Evaluate(mustText(t, `in_segment any ["pro"]`), snap, t0, nil)
	require.ErrorIs(t, err, ErrUnknownSegment)
}

func TestCheckReferences(t *testing.T) {
	t.Parallel()
	seg := lookupOf(t, map[string]string{
		"a": `in_segment any ["b"]`,
		"b": `trait x = 1 or in_segment all ["c"]`,
		"c": `in_segment none ["d"]`,
		"d": `everyone`,
		"e": `in_segment any ["ghost"]`,
	})
	cases := []struct {
		name, id, def, path, msg string
		err                      error
	}{
		{"ok chain", "new", `in_segment any ["a", "d"]`, "", "", nil},
		{"self", "new", `everyone and in_segment any ["new"]`, "conditions.and[1].in_segment.ids[0]", "new → new", ErrCycle},
		{"indirect", "d", `not in_segment any ["a"]`, "conditions.not.in_segment.ids[0]", "d → a → b → c → d", ErrCycle},
		{"unknown", "new", `in_segment any ["d", "ghost"]`, "conditions.in_segment.ids[1]", `unknown segment "ghost"`, ErrUnknownSegment},
		{"dangling deeper is not ours", "new", `in_segment any ["e"]`, "", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := CheckReferences(tc.id, mustText(t, tc.def), seg)
			if tc.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.err)
			require.ErrorIs(t, err, ErrInvalid)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			require.Equal(t, tc.path, ve.Path)
			require.Contains(t, ve.Msg, tc.msg)
		})
	}
}

func TestRandomBucket(t *testing.T) {
	t.Parallel()
	ten, all, none := mustText(t, `random_bucket 10 salt "h"`), mustText(t, `random_bucket 100`), mustText(t, `random_bucket 0`)
	other := mustText(t, `random_bucket 10 salt "other"`)
	in, overlap := 0, 0
	for i := range 10000 {
		p := Snapshot{ProfileID: fmt.Sprintf("profile-%d", i)}
		a, err := Evaluate(ten, p, t0, nil)
		require.NoError(t, err)
		again, err := Evaluate(ten, p, t0.Add(day), nil)
		require.NoError(t, err)
		require.Equal(t, a, again, "stable over time")
		b, err := Evaluate(other, p, t0, nil)
		require.NoError(t, err)
		if a {
			in++
			if b {
				overlap++
			}
		}
		x, _ := Evaluate(all, p, t0, nil)
		y, _ := Evaluate(none, p, t0, nil)
		require.True(t, x)
		require.False(t, y)
	}
	require.InDelta(t, 1000, in, 120, "about 10%% of profiles")
	require.InDelta(t, 100, overlap, 50, "salts are independent")
}
