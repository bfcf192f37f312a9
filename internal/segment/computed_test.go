package segment

import (
	"bytes"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func mustComputed(tb testing.TB, src string) *ComputedDef {
	tb.Helper()
	d, err := ParseComputed([]byte(src))
	require.NoError(tb, err, src)
	return d
}

func TestComputeValue(t *testing.T) {
	t.Parallel()
	order := func(at time.Time, rev any, ch string) Event {
		e := ev("Order Completed", at, map[string]any{"revenue": rev})
		e.Channel = ch
		return e
	}
	events := []Event{
		order(ago(3*day), 30.0, "web"),
		ev("Product Viewed", ago(4*day), nil),
		order(ago(2*day), 50.0, "store"),
		order(ago(1*day), "n/a", "store"),      // not numeric: skipped by sum/avg/min/max
		order(t0.Add(time.Hour), 999.0, "web"), // in the future: not visible
	}
	cases := []struct {
		name   string
		def    string
		events []Event
		want   any
		ok     bool
	}{
		{"count", `{"name":"n","kind":"count","event":"Order Completed"}`, events, 3.0, true},
		{"count of nothing is undefined", `{"name":"n","kind":"count","event":"Refund"}`, events, nil, false},
		{"sum", `{"name":"s","kind":"sum","event":"Order Completed","property":"revenue"}`, events, 80.0, true},
		{"sum with where", `{"name":"s","kind":"sum","event":"Order Completed","property":"revenue","where":[{"property":"revenue","op":"gt","value":40}]}`, events, 50.0, true},
		{"sum of no event is undefined", `{"name":"s","kind":"sum","event":"Order Completed","property":"revenue"}`, nil, nil, false},
		{"avg", `{"name":"a","kind":"avg","event":"Order Completed","property":"revenue"}`, events, 40.0, true},
		{"min", `{"name":"a","kind":"min","event":"Order Completed","property":"revenue"}`, events, 30.0, true},
		{"max", `{"name":"a","kind":"max","event":"Order Completed","property":"revenue"}`, events, 50.0, true},
		{"max of non-numbers is undefined", `{"name":"a","kind":"max","event":"Order Completed","property":"revenue"}`, events[3:4], nil, false},
		{"first", `{"name":"f","kind":"first","event":"Order Completed","property":"revenue"}`, events, 30.0, true},
		{"last", `{"name":"l","kind":"last","event":"Order Completed","property":"revenue"}`, events, "n/a", true},
		{"last timestamp", `{"name":"l","kind":"last","event":"Order Completed","property":"timestamp"}`, events, ago(day).Format(time.RFC3339Nano), true},
		{"distinct_count", `{"name":"d","kind":"distinct_count","event":"Order Completed","property":"channel"}`, events, 2.0, true},
		{"unique_list sorted", `{"name":"u","kind":"unique_list","event":"Order Completed","property":"revenue"}`, events, []any{30.0, 50.0, "n/a"}, true},
		{"unique_list without values is undefined", `{"name":"u","kind":"unique_list","event":"Order Completed","property":"coupon"}`, events, nil, false},
		{"most_frequent", `{"name":"m","kind":"most_frequent","event":"Order Completed","property":"channel"}`, events, "store", true},
		{"most_frequent tie is alphabetical", `{"name":"m","kind":"most_frequent","event":"Order Completed","property":"channel"}`, events[:3], "store", true},
		{"any event: first channel", `{"name":"c","kind":"first","event":"","property":"channel"}`, events, "web", true},
		{"any event: most frequent source", `{"name":"c","kind":"most_frequent","property":"source"}`, events, "src_web", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok, err := ComputeValue(mustComputed(t, tc.def), Snapshot{ProfileID: "p1", Events: tc.events}, t0)
			require.NoError(t, err)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestComputeValueWindow(t *testing.T) {
	t.Parallel()
	// Windows are not accepted at save yet, but ComputeValue honours one.
	d := mustComputed(t, `{"name":"s","kind":"sum","event":"Order Completed","property":"revenue"}`)
	d.Window = &Window{Within: Duration(2 * day)}
	evs := []Event{ev("Order Completed", ago(3*day), map[string]any{"revenue": 5.0}), ev("Order Completed", ago(day), map[string]any{"revenue": 7.0})}
	got, ok, err := ComputeValue(d, Snapshot{Events: evs}, t0)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 7.0, got)
}

func TestParseComputedErrors(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, src, path, msg string }{
		{"not JSON", `{`, "computed", "not valid JSON"},
		{"unknown field", `{"name":"a","kind":"count","event":"E","fn":"x"}`, "computed.fn", "unknown field"},
		{"no name", `{"kind":"count","event":"E"}`, "computed.name", "missing"},
		{"bad name", `{"name":"a b","kind":"count","event":"E"}`, "computed.name", "not a trait path"},
		{"unknown kind", `{"name":"a","kind":"median","event":"E","property":"p"}`, "computed.kind", "unknown kind"},
		{"count with property", `{"name":"a","kind":"count","event":"E","property":"p"}`, "computed.property", "takes no property"},
		{"sum without property", `{"name":"a","kind":"sum","event":"E"}`, "computed.property", "missing"},
		{"bad filter", `{"name":"a","kind":"sum","event":"E","property":"p","where":[{"property":"x","op":"nope","value":1}]}`, "computed.where[0].op", ""},
		{"absolute window", `{"name":"a","kind":"sum","event":"E","property":"p","window":{"after":"2026-01-01T00:00:00Z"}}`, "computed.window", "must be relative"},
		{"bad window", `{"name":"a","kind":"sum","event":"E","property":"p","window":{"within":"-3d"}}`, "computed.window.within", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseComputed([]byte(tc.src))
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "%v", err)
			require.ErrorIs(t, err, ErrInvalid)
			require.Equal(t, tc.path, ve.Path, ve.Error())
			require.Contains(t, ve.Msg, tc.msg)
		})
	}
}

func TestParseComputedRoundTrip(t *testing.T) {
	t.Parallel()
	d := mustComputed(t, `{"event":"Order Completed","property":"revenue","kind":"sum","name":"ltv","where":[{"property":"coupon","op":"exists"}]}`)
	again := mustComputed(t, string(d.JSON()))
	require.Equal(t, string(d.JSON()), string(again.JSON()))
	require.True(t, d.Matches("Order Completed"))
	require.False(t, d.Matches("Refund"))
	require.True(t, mustComputed(t, `{"name":"c","kind":"first","property":"channel"}`).Matches("anything"))
}

func FuzzParseComputed(f *testing.F) {
	f.Add([]byte(`{"name":"ltv","kind":"sum","event":"Order Completed","property":"revenue"}`))
	f.Add([]byte(`{"name":"c","kind":"most_frequent","event":"","property":"channel"}`))
	f.Add([]byte(`{"name":"u","kind":"unique_list","event":"E","property":"p","where":[{"property":"x","op":"in","value":[1,"a"]}]}`))
	f.Add([]byte(`{"name":"n","kind":"count","event":"E","window":{"within":"30d"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseComputed(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		j := d.JSON()
		again, err := ParseComputed(j)
		if err != nil {
			t.Fatalf("canonical JSON %s does not re-parse: %v", j, err)
		}
		if !bytes.Equal(j, again.JSON()) {
			t.Fatalf("round trip changed the definition:\n%s\n%s", j, again.JSON())
		}
		if _, _, err := ComputeValue(d, Snapshot{Events: []Event{ev(d.Event, t0, map[string]any{"p": 1.0})}}, t0); err != nil {
			t.Fatal(err)
		}
	})
}

func TestComputedNextChange(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	ev := func(name string, ago time.Duration) Event {
		return Event{Name: name, Timestamp: now.Add(-ago), Properties: map[string]any{"revenue": 10.0}}
	}
	parse := func(src string) *ComputedDef {
		d, err := ParseComputed([]byte(src))
		require.NoError(t, err)
		return d
	}
	tests := []struct {
		name string
		def  string
		evs  []Event
		want time.Duration // from now; 0 = no change
	}{
		{"lifetime over past events never changes", `{"name":"n","kind":"count","event":"Buy"}`, []Event{ev("Buy", time.Hour)}, 0},
		{"a future-dated event becomes visible", `{"name":"n","kind":"count","event":"Buy"}`, []Event{ev("Buy", -2*time.Hour)}, 2 * time.Hour},
		{"lifetime: the nearest future event, unsorted input", `{"name":"n","kind":"count","event":"Buy"}`,
			[]Event{ev("Buy", -3*time.Hour), ev("Buy", time.Hour), ev("Other", -30*time.Minute), ev("Buy", -time.Hour)}, time.Hour},
		{"the oldest event in the window leaves first", `{"name":"n","kind":"count","event":"Buy","window":{"within":"7d"}}`,
			[]Event{ev("Buy", 24*time.Hour), ev("Buy", 5*24*time.Hour), ev("Other", 6*24*time.Hour)}, 2 * 24 * time.Hour},
		{"events already out of the window do not count", `{"name":"n","kind":"count","event":"Buy","window":{"within":"1d"}}`,
			[]Event{ev("Buy", 3*24*time.Hour)}, 0},
		{"between: entering the window", `{"name":"n","kind":"sum","event":"Buy","property":"revenue","window":{"from_ago":"30d","to_ago":"7d"}}`,
			[]Event{ev("Buy", 2*24*time.Hour)}, 5 * 24 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := parse(tc.def)
			at, ok := ComputedNextChange(d, Snapshot{Events: tc.evs}, now)
			require.Equal(t, tc.want != 0, ok)
			if ok {
				require.Equal(t, now.Add(tc.want), at)
				// The value really changes there (and not just before).
				before, _, err := ComputeValue(d, Snapshot{Events: tc.evs}, at.Add(-time.Second))
				require.NoError(t, err)
				after, _, err := ComputeValue(d, Snapshot{Events: tc.evs}, at)
				require.NoError(t, err)
				require.NotEqual(t, before, after)
			}
		})
	}
}

// TestDistinctValuesPastTheIndex: distinct_count and most_frequent (ties
// to the first value in key order, numbers before strings) agree whether
// the values fit the linear slice or need the map index (more than
// distinctIndexed distinct values).
func TestDistinctValuesPastTheIndex(t *testing.T) {
	t.Parallel()
	for _, n := range []int{3, distinctIndexed, distinctIndexed + 1, 3 * distinctIndexed} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			count, most, tie := newAggAcc(AggDistinctCount), newAggAcc(AggMostFrequent), newAggAcc(AggMostFrequent)
			for range 2 {
				for i := n - 1; i >= 0; i-- {
					v := "v" + strconv.Itoa(100+i)
					count.add(v)
					most.add(v)
					tie.add(v)
				}
			}
			count.add(7.0)
			count.add(7.0)
			count.add(8.0)
			most.add("v" + strconv.Itoa(100+n/2)) // seen three times
			tie.add(7.0)
			tie.add(7.0) // ties every string, and numbers come first
			require.Equal(t, float64(n+2), count.result())
			require.Equal(t, "v"+strconv.Itoa(100+n/2), most.result())
			require.Equal(t, 7.0, tie.result())
		})
	}
}
