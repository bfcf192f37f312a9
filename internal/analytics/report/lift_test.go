package report

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/segment"
)

func liftSpec(mut func(*LiftSpec)) LiftSpec {
	s := LiftSpec{
		Exposure:   funnel.Step{Event: "Catalog Delivered"},
		Holdout:    funnel.Step{Event: "Catalog Held Out"},
		Conversion: funnel.Step{Event: "Order Completed"},
		Window:     48 * time.Hour,
	}
	if mut != nil {
		mut(&s)
	}
	return s
}

func runLift(t *testing.T, spec LiftSpec, hs ...*funnel.History) LiftResult {
	t.Helper()
	l, err := NewLift(spec)
	require.NoError(t, err)
	for _, h := range hs {
		l.Add(h)
	}
	r, err := l.Result()
	require.NoError(t, err)
	return r
}

// The six customers below, horizon at hour 500 (the latest event):
//
//	a: mailed at 0 and 100, buys at 10        → record 0 converts, 100 does not
//	b: mailed at 0, buys at 60 (after 48 h)   → no conversion
//	c: held out at 0, buys at 1                → converts
//	d: held out at 0 and 100                  → none
//	e: mailed at 480 (window open at 500)     → excluded as open
//	f: bought at -5, mailed at 0, buys at 1   → converts; excluded when first_conversion
func liftHistories() []*funnel.History {
	return []*funnel.History{
		hist("a", ev("Catalog Delivered", 0, nil), ev("Order Completed", 10, nil), ev("Catalog Delivered", 100, nil)),
		hist("b", ev("Catalog Delivered", 0, nil), ev("Order Completed", 60, nil)),
		hist("c", ev("Catalog Held Out", 0, nil), ev("Order Completed", 1, nil)),
		hist("d", ev("Catalog Held Out", 0, nil), ev("Catalog Held Out", 100, nil)),
		hist("e", ev("Catalog Delivered", 480, nil), ev("Page Viewed", 500, nil)),
		hist("f", ev("Order Completed", -5, nil), ev("Catalog Delivered", 0, nil), ev("Order Completed", 1, nil)),
	}
}

func TestLift(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name             string
		mut              func(*LiftSpec)
		exposed, holdout [3]int64 // units, conversions, customers
		afterConv, open  int64
	}{
		{"every record", nil, [3]int64{4, 2, 4}, [3]int64{3, 1, 2}, 0, 1},
		{"first conversion only", func(s *LiftSpec) { s.FirstConversion = true },
			// a's record at 100 and f's record come after a purchase
			[3]int64{2, 1, 4}, [3]int64{3, 1, 2}, 2, 1},
		{"customer unit", func(s *LiftSpec) { s.Unit = UnitCustomer },
			[3]int64{3, 2, 4}, [3]int64{2, 1, 2}, 0, 1},
		{"explicit horizon closes e", func(s *LiftSpec) { s.End = w0.Add(600 * time.Hour) },
			[3]int64{5, 2, 4}, [3]int64{3, 1, 2}, 0, 0},
		{"since drops the first wave", func(s *LiftSpec) { s.Since = w0.Add(50 * time.Hour) },
			[3]int64{1, 0, 2}, [3]int64{1, 0, 1}, 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := runLift(t, liftSpec(c.mut), liftHistories()...)
			require.Equal(t, c.exposed, [3]int64{r.Exposed.Units, r.Exposed.Conversions, r.Exposed.Customers}, "exposed")
			require.Equal(t, c.holdout, [3]int64{r.Holdout.Units, r.Holdout.Conversions, r.Holdout.Customers}, "holdout")
			require.Equal(t, c.afterConv, r.Excluded.AfterConversion)
			require.Equal(t, c.open, r.Excluded.OpenWindow)
			if want := liftSpec(c.mut).End; !want.IsZero() {
				require.Equal(t, want, r.Horizon)
			} else {
				require.Equal(t, w0.Add(500*time.Hour), r.Horizon, "horizon: the latest event")
			}
			if c.exposed[0] > 0 && c.holdout[0] > 0 {
				require.NotNil(t, r.Test)
				require.InDelta(t, float64(c.exposed[1])/float64(c.exposed[0])-float64(c.holdout[1])/float64(c.holdout[0]), r.Test.Diff, 1e-12)
				require.NotNil(t, r.Bayes)
			}
		})
	}
}

func TestLiftFiltersAndSRM(t *testing.T) {
	t.Parallel()
	// One event for both arms, told apart by a property.
	mail := func(h int, group string) segment.Event {
		return ev("Catalog", h, map[string]any{"group": group})
	}
	eq := func(v string) []segment.Filter {
		fs, err := segment.DecodeFilters("where", []any{map[string]any{"property": "group", "op": "equals", "value": v}})
		require.NoError(t, err)
		return fs
	}
	var hs []*funnel.History
	for i := range 100 {
		g := "mailed"
		if i%2 == 0 { // half held out where 10% were planned
			g = "holdout"
		}
		hs = append(hs, hist("p", mail(0, g), ev("Order Completed", 100, nil)))
	}
	r := runLift(t, liftSpec(func(s *LiftSpec) {
		s.Exposure = funnel.Step{Event: "Catalog", Where: eq("mailed")}
		s.Holdout = funnel.Step{Event: "Catalog", Where: eq("holdout")}
		s.HoldoutShare = 0.1
	}), hs...)
	require.Equal(t, int64(50), r.Exposed.Units)
	require.Equal(t, int64(50), r.Holdout.Units)
	require.Zero(t, r.Exposed.Conversions, "the purchase is after the 48 h window")
	require.NotNil(t, r.SRM)
	require.True(t, r.SRM.Mismatch)
	require.Contains(t, r.Notes[0], "sample-ratio mismatch")
}

func TestLiftBadAndEmpty(t *testing.T) {
	t.Parallel()
	bad := map[string]func(*LiftSpec){
		"no conversion event": func(s *LiftSpec) { s.Conversion.Event = " " },
		"same arms":           func(s *LiftSpec) { s.Holdout = s.Exposure },
		"zero window":         func(s *LiftSpec) { s.Window = 0 },
		"huge window":         func(s *LiftSpec) { s.Window = 400 * 24 * time.Hour },
		"unit":                func(s *LiftSpec) { s.Unit = "household" },
		"share":               func(s *LiftSpec) { s.HoldoutShare = 1 },
		"range":               func(s *LiftSpec) { s.Since, s.Until = w0, w0 },
	}
	for name, mut := range bad {
		_, err := NewLift(liftSpec(mut))
		require.ErrorIs(t, err, funnel.ErrInvalid, name)
	}

	// No data: a well-formed empty result with a note, no NaN.
	r := runLift(t, liftSpec(nil))
	require.Nil(t, r.Test)
	require.Zero(t, r.Exposed.Rate)
	require.NotEmpty(t, r.Notes)

	// Data without the named events: the unknown names.
	l, err := NewLift(liftSpec(func(s *LiftSpec) { s.Holdout.Event = "Catalog Withheld" }))
	require.NoError(t, err)
	for _, h := range liftHistories() {
		l.Add(h)
	}
	_, err = l.Result()
	require.ErrorIs(t, err, funnel.ErrUnknown)
	require.ErrorContains(t, err, `"Catalog Withheld"`)
}
