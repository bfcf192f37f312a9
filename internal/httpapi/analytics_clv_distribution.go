package httpapi

import (
	"math"
	"slices"
)

// clvBucket counts the customers with a measure in [From, To) (the last
// bucket of a distribution also holds its upper end and anything above).
type clvBucket struct {
	From      float64 `json:"from"`
	To        float64 `json:"to"`
	Customers int     `json:"customers"`
}

// clvDistribution is how every customer spreads over the prediction: the
// value (CLV, or expected purchases without a spend model) in equal-width
// buckets from 0 to its 99th percentile, the tail in the last; and
// P(alive) in tenths.
type clvDistribution struct {
	Of      string      `json:"of"` // clv or expected_purchases
	Buckets []clvBucket `json:"buckets"`
	PAlive  []clvBucket `json:"p_alive"`
}

// clvBuckets is the number of value buckets.
const clvBuckets = 20

// distribution buckets every customer's prediction.
func distribution(all []clvCustomer, spend bool) clvDistribution {
	d := clvDistribution{Of: "expected_purchases", Buckets: []clvBucket{}, PAlive: make([]clvBucket, 10)}
	value := func(c clvCustomer) float64 { return c.Purchases }
	if spend {
		d.Of, value = "clv", func(c clvCustomer) float64 { return c.CLV }
	}
	for i := range d.PAlive {
		d.PAlive[i] = clvBucket{From: float64(i) / 10, To: float64(i+1) / 10}
	}
	if len(all) == 0 {
		return d
	}
	vs := make([]float64, 0, len(all))
	for _, c := range all {
		vs = append(vs, max(0, value(c)))
		d.PAlive[min(9, int(math.Max(0, c.PAlive)*10))].Customers++
	}
	slices.Sort(vs)
	top := vs[min(len(vs)-1, int(math.Ceil(0.99*float64(len(vs))))-1)]
	if top <= 0 {
		top = vs[len(vs)-1]
	}
	if top <= 0 {
		return clvDistribution{Of: d.Of, Buckets: []clvBucket{{From: 0, To: 0, Customers: len(vs)}}, PAlive: d.PAlive}
	}
	width := top / clvBuckets
	for i := range clvBuckets {
		d.Buckets = append(d.Buckets, clvBucket{From: float64(i) * width, To: float64(i+1) * width})
	}
	for _, v := range vs {
		d.Buckets[min(clvBuckets-1, int(v/width))].Customers++
	}
	return d
}
