package demo

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestAppendTimestamp(t *testing.T) {
	t.Parallel()
	for _, ts := range []time.Time{
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999e6, time.UTC),
		time.Date(2000, 2, 29, 12, 30, 45, 123e6, time.UTC),
		time.Date(2024, 12, 31, 23, 59, 59, 1e6, time.UTC),
		time.Date(2100, 3, 1, 0, 0, 0, 0, time.UTC),
	} {
		require.Equal(t, ts.Format("2006-01-02T15:04:05.000Z"), string(appendTimestamp(nil, ts.UnixMilli())))
		require.Equal(t, ts.Format(time.DateOnly), string(appendDate(nil, ts.UnixMilli())))
	}
}

func FuzzAppendTimestamp(f *testing.F) {
	f.Add(int64(0))
	f.Add(int64(1735689600000))
	f.Add(int64(-1))
	f.Fuzz(func(t *testing.T, ms int64) {
		ms %= 1 << 47 // years 0..6429
		if ms < 0 {
			ms = -ms
		}
		want := time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z")
		if got := string(appendTimestamp(nil, ms)); got != want {
			t.Fatalf("%d: got %s want %s", ms, got, want)
		}
	})
}

func TestJSONWriter(t *testing.T) {
	t.Parallel()
	var j jsonWriter
	j.reset(nil)
	j.obj()
	j.kStr("s", "quote \" back \\ nl \n tab \t ctl \x01 é")
	j.kMoney("m", 12345)
	j.kMoney("neg", -5)
	j.kInt("i", -7)
	j.kBool("b", true)
	j.kFloat("f", 1.25, 2)
	j.keyArr("a")
	j.str("x")
	j.obj()
	j.endObj()
	j.int(3)
	j.endArr()
	j.keyObj("o")
	j.endObj()
	j.endObj()
	var got map[string]any
	require.NoError(t, json.Unmarshal(j.b, &got), string(j.b))
	require.Equal(t, map[string]any{
		"s": "quote \" back \\ nl \n tab \t ctl \x01 é", "m": 123.45, "neg": -0.05, "i": -7.0, "b": true, "f": 1.25,
		"a": []any{"x", map[string]any{}, 3.0}, "o": map[string]any{},
	}, got)
}

func TestAppendUUID(t *testing.T) {
	t.Parallel()
	require.Regexp(t, uuidLike, string(appendUUID(nil, 0, 0)))
	require.Regexp(t, uuidLike, string(appendUUID(nil, ^uint64(0), ^uint64(0))))
}
