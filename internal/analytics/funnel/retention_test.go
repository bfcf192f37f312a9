package funnel

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRetention(t *testing.T) {
	t.Parallel()
	w := newWorld(t, shop())
	week1 := t0.AddDate(0, 0, 7)
	cases := []struct {
		name string
		spec RetentionSpec
		rows []RetentionRow
	}{
		{name: "weekly", spec: RetentionSpec{CohortEvent: order, ReturnEvent: order, Period: Week, Periods: 3},
			rows: []RetentionRow{
				{Cohort: t0, Size: 3, Retained: []int{1, 0, 1, 0}, Rates: []float64{1. / 3, 0, 1. / 3, 0}},
				{Cohort: week1, Size: 1, Retained: []int{1, 0, 1, 0}, Rates: []float64{1, 0, 1, 0}}}},
		{name: "weekly, periods not started are left out", spec: RetentionSpec{CohortEvent: order, ReturnEvent: order, Periods: 3, Now: t0.Add(16 * day)},
			rows: []RetentionRow{
				{Cohort: t0, Size: 3, Retained: []int{1, 0, 1}, Rates: []float64{1. / 3, 0, 1. / 3}},
				{Cohort: week1, Size: 1, Retained: []int{1, 0}, Rates: []float64{1, 0}}}},
		{name: "monthly", spec: RetentionSpec{CohortEvent: order, ReturnEvent: order, Period: Month, Periods: 1},
			rows: []RetentionRow{{Cohort: t0.AddDate(0, 0, -1), Size: 4, Retained: []int{2, 0}, Rates: []float64{0.5, 0}}}},
		{name: "cohort by another event", spec: RetentionSpec{CohortEvent: pv, ReturnEvent: added, Period: Day, Periods: 1},
			rows: []RetentionRow{{Cohort: t0, Size: 5, Retained: []int{3, 0}, Rates: []float64{0.6, 0}}}},
		{name: "cohorts in range only", spec: RetentionSpec{CohortEvent: order, ReturnEvent: order, Periods: 1, Since: t0.Add(day)},
			rows: []RetentionRow{{Cohort: week1, Size: 1, Retained: []int{1, 0}, Rates: []float64{1, 0}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewRetention(tc.spec)
			require.NoError(t, err)
			w.scan(t, tc.spec.Need(), r)
			got, err := r.Result()
			require.NoError(t, err)
			require.Len(t, got.Rows, len(tc.rows))
			for i, row := range got.Rows {
				require.True(t, tc.rows[i].Cohort.Equal(row.Cohort), "cohort %d: %s", i, row.Cohort)
				require.Equal(t, tc.rows[i].Size, row.Size)
				require.Equal(t, tc.rows[i].Retained, row.Retained)
				require.InDeltaSlice(t, tc.rows[i].Rates, row.Rates, 1e-12)
			}
		})
	}
}

func TestRetentionBadInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t, shop())
	r, err := NewRetention(RetentionSpec{CohortEvent: "Signed Up", ReturnEvent: order})
	require.NoError(t, err)
	w.scan(t, Need{}, r)
	_, err = r.Result()
	require.ErrorIs(t, err, ErrUnknown)
	require.Contains(t, err.Error(), `"Signed Up"`)

	for _, spec := range []RetentionSpec{{ReturnEvent: order}, {CohortEvent: order, ReturnEvent: order, Period: "year"},
		{CohortEvent: order, ReturnEvent: order, Periods: 61}, {CohortEvent: order, ReturnEvent: order, Periods: -2}} {
		_, err := NewRetention(spec)
		require.ErrorIs(t, err, ErrInvalid, "%+v", spec)
	}

	empty := newWorld(t, nil)
	r, err = NewRetention(RetentionSpec{CohortEvent: order, ReturnEvent: order})
	require.NoError(t, err)
	empty.scan(t, Need{}, r)
	got, err := r.Result()
	require.NoError(t, err)
	require.Equal(t, RetentionResult{Period: Week, Rows: []RetentionRow{}}, got)
}

func TestPeriods(t *testing.T) {
	t.Parallel()
	sunday := time.Date(2026, 3, 8, 23, 59, 0, 0, time.UTC)
	require.Equal(t, t0, periodStart(sunday, Week))
	require.Equal(t, 1, periodIndex(t0, sunday.Add(time.Minute), Week))
	jan := time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
	require.Equal(t, 14, periodIndex(periodStart(jan, Month), time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), Month))
	require.Equal(t, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), addPeriods(periodStart(jan, Month), 1, Month))
}
