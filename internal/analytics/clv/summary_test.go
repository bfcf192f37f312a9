package clv_test

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
)

// pyFloat formats v rounded to 2 decimals the way Python's repr prints it
// (38.86, 0.0, 27.0), the format of cdnow_customers_summary.csv.
func pyFloat(v float64) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// halfUp formats a mean of cent amounts to 2 decimals rounding exact halves
// up, as cdnow_customers_summary_with_transactions.csv does (22.345 → 22.35).
// A mean of x cent amounts is k/(100x): it is either exactly half a cent off a
// cent or at least 1/(2x) cent away, so a 1e-7 cent nudge only settles ties.
func halfUp(v float64) string {
	c := math.Floor(v*100 + 0.5 + 1e-7)
	return fmt.Sprintf("%.2f", c/100)
}

func TestSummarizeRebuildsCDNOWSummaries(t *testing.T) {
	t.Parallel()
	cs := cdnowCustomers(t)
	require.Len(t, cs, 2357)

	var plain, full strings.Builder
	plain.WriteString("ID,frequency,recency,T\n")
	full.WriteString("ID,x,t_x,T,zbar")
	repeaters := 0
	for _, c := range cs {
		id, err := strconv.Atoi(c.ID)
		require.NoError(t, err)
		fmt.Fprintf(&plain, "%d,%d,%s,%s\n", id, c.X, pyFloat(c.TX), pyFloat(c.T))
		fmt.Fprintf(&full, "\r\n%d,%d,%.2f,%.2f,%s", id, c.X, c.TX, c.T, halfUp(c.ZBar))
		if c.X > 0 {
			repeaters++
		}
	}
	require.Equal(t, 946, repeaters)

	want, err := os.ReadFile(cdnowPath(t, "cdnow_customers_summary.csv"))
	require.NoError(t, err)
	require.Equal(t, string(want), plain.String())
	want, err = os.ReadFile(cdnowPath(t, "cdnow_customers_summary_with_transactions.csv"))
	require.NoError(t, err)
	require.Equal(t, string(want), full.String())
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	d := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return tm
	}
	txs := []clv.Transaction{
		{Customer: "b", Time: d("2024-01-03T10:00:00Z"), Value: 5},
		{Customer: "a", Time: d("2024-01-01T09:00:00Z"), Value: 100}, // first purchase: value ignored
		{Customer: "a", Time: d("2024-01-01T18:00:00Z"), Value: 50},  // same day as the first
		{Customer: "a", Time: d("2024-01-08T08:00:00Z"), Value: 10},
		{Customer: "a", Time: d("2024-01-08T20:00:00Z"), Value: 20}, // merged: one purchase of 30
		{Customer: "a", Time: d("2024-01-15T12:00:00Z"), Value: 6},
		{Customer: "a", Time: d("2024-01-29T23:59:59Z"), Value: 1000},   // after the calibration end
		{Customer: "c", Time: d("2024-02-01T00:00:00Z"), Value: 7},      // first purchase after it: left out
		{Customer: "b", Time: d("2024-01-22T00:00:00+01:00"), Value: 9}, // UTC day 2024-01-21
	}
	end := d("2024-01-22T00:00:00Z")

	tests := []struct {
		name string
		unit time.Duration
		want []clv.Customer
	}{
		{"weeks", week, []clv.Customer{
			{ID: "b", X: 1, TX: 18.0 / 7, T: 19.0 / 7, ZBar: 9},
			{ID: "a", X: 2, TX: 2, T: 3, ZBar: 18},
		}},
		{"days", 24 * time.Hour, []clv.Customer{
			{ID: "b", X: 1, TX: 18, T: 19, ZBar: 9},
			{ID: "a", X: 2, TX: 14, T: 21, ZBar: 18},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := clv.Summarize(txs, end, tc.unit)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}

	t.Run("zero end is the last day", func(t *testing.T) {
		t.Parallel()
		got, err := clv.Summarize(txs, time.Time{}, 24*time.Hour)
		require.NoError(t, err)
		require.Len(t, got, 3)
		require.Equal(t, clv.Customer{ID: "a", X: 3, TX: 28, T: 31, ZBar: 1036.0 / 3}, got[1])
		require.Equal(t, clv.Customer{ID: "c", T: 0}, got[2])
	})

	t.Run("holdout", func(t *testing.T) {
		t.Parallel()
		got, err := clv.HoldoutPurchases(txs, end, d("2024-02-01T00:00:00Z"))
		require.NoError(t, err)
		require.Equal(t, map[string]int{"a": 1, "c": 1}, got)
	})

	t.Run("bad input", func(t *testing.T) {
		t.Parallel()
		_, err := clv.Summarize(nil, end, week)
		require.ErrorIs(t, err, clv.ErrNoCustomers)
		_, err = clv.Summarize(txs, d("2023-01-01T00:00:00Z"), week)
		require.ErrorIs(t, err, clv.ErrNoCustomers)
		_, err = clv.Summarize(txs, end, 0)
		require.ErrorContains(t, err, "not positive")
		_, err = clv.HoldoutPurchases(txs, end, d("2023-01-01T00:00:00Z"))
		require.Error(t, err)
	})
}
