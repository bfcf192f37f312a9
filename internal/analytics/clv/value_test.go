package clv_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
)

func TestDiscountRate(t *testing.T) {
	t.Parallel()
	// A year's continuous discounting at δ equals one annual discount step.
	for _, annual := range []float64{0, 0.05, 0.1, 0.5} {
		weekly := clv.DiscountRate(annual, week)
		require.InDelta(t, 1/(1+annual), math.Exp(-weekly*365.25/7), 1e-15)
	}
	require.InDelta(t, math.Log(1.1), clv.DiscountRate(0.1, time.Duration(365.25*24*float64(time.Hour))), 1e-15)
	require.InDelta(t, math.Log(1.1)/365.25, clv.DiscountRate(0.1, 24*time.Hour), 1e-15)
}

// stieltjes is the discounted expected purchases by brute force: a fine
// Riemann–Stieltjes sum of e^{−δt} over the increments of E[Y(t)].
func stieltjes(m clv.PurchaseModel, c clv.Customer, h, delta float64) float64 {
	const n = 20000
	var sum, prev float64
	for i := 1; i <= n; i++ {
		t := h * float64(i) / n
		e := m.ExpectedPurchases(t, float64(c.X), c.TX, c.T)
		sum += math.Exp(-delta*(t-h/(2*n))) * (e - prev)
		prev = e
	}
	return sum
}

func TestCLV(t *testing.T) {
	t.Parallel()
	bg := clv.BGNBD{R: 0.2425982, Alpha: 4.4136842, A: 0.7929899, B: 2.4261667}
	pn := clv.ParetoNBD{R: 0.5533, Alpha: 10.578, S: 0.6061, Beta: 11.6693}
	g := clv.GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	customers := []clv.Customer{
		{ID: "typical", X: 2, TX: 30.43, T: 38.86, ZBar: 22.35},
		{ID: "fresh", X: 0, TX: 0, T: 0.1},
		{ID: "heavy", X: 20, TX: 38, T: 39, ZBar: 60},
		{ID: "lapsed", X: 5, TX: 3, T: 39, ZBar: 15},
	}
	for _, model := range []struct {
		name string
		m    clv.PurchaseModel
	}{{"bg/nbd", bg}, {"pareto/nbd", pn}} {
		for _, c := range customers {
			t.Run(model.name+" "+c.ID, func(t *testing.T) {
				t.Parallel()
				for _, h := range []float64{13, 52, 520} {
					delta := clv.DiscountRate(0.1, week)
					v := clv.CLV(model.m, g, c, h, delta)
					x := float64(c.X)
					require.InDelta(t, model.m.ExpectedPurchases(h, x, c.TX, c.T), v.Purchases, 1e-15)
					require.InDelta(t, model.m.PAlive(x, c.TX, c.T), v.PAlive, 1e-15)
					require.InDelta(t, g.ExpectedSpend(x, c.ZBar), v.Spend, 1e-15)
					require.InDelta(t, stieltjes(model.m, c, h, delta), v.DiscountedPurchases, 1e-6*(1+v.Purchases), "horizon %v", h)
					require.Less(t, v.DiscountedPurchases, v.Purchases)
					require.Greater(t, v.DiscountedPurchases, math.Exp(-delta*h)*v.Purchases)
					require.InDelta(t, v.Spend*v.DiscountedPurchases, v.CLV, 1e-9)
					require.InDelta(t, v.Spend*v.Purchases, v.UndiscountedCLV, 1e-9)

					flat := clv.CLV(model.m, g, c, h, 0)
					require.Equal(t, flat.Purchases, flat.DiscountedPurchases)
					require.Equal(t, flat.UndiscountedCLV, flat.CLV)
				}
			})
		}
	}
	require.Zero(t, clv.CLV(bg, g, customers[0], 0, 0.01).CLV)
}
