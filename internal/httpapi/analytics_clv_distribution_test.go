package httpapi

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
)

func TestCLVDistribution(t *testing.T) {
	t.Parallel()
	var all []clvCustomer
	for i := range 100 {
		all = append(all, clvCustomer{Value: clv.Value{CLV: float64(i), Purchases: 1, PAlive: float64(i) / 100}})
	}
	all = append(all, clvCustomer{Value: clv.Value{CLV: 10_000, PAlive: 1}}) // a whale stays in the last bucket
	d := distribution(all, true)
	require.Equal(t, "clv", d.Of)
	require.Len(t, d.Buckets, clvBuckets)
	require.Equal(t, 0.0, d.Buckets[0].From)
	require.InDelta(t, 99.0, d.Buckets[clvBuckets-1].To, 1e-9, "up to the 99th percentile (the 100th of 101 values)")
	total := 0
	for _, b := range d.Buckets {
		total += b.Customers
	}
	require.Equal(t, len(all), total)
	require.Equal(t, 6, d.Buckets[clvBuckets-1].Customers, "95–99 (from 94.05) and the whale")
	require.Equal(t, 10, d.PAlive[0].Customers)
	require.Equal(t, 11, d.PAlive[9].Customers, "0.90–0.99 and the whale's 1.0")

	flat := distribution([]clvCustomer{{}, {}}, true)
	require.Equal(t, []clvBucket{{Customers: 2}}, flat.Buckets, "nobody is worth anything: one bucket")
	require.Equal(t, "expected_purchases", distribution(all, false).Of)
}
