package clv_test

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
)

// relClose fails unless got is within rel (relative) of want.
func relClose(tb testing.TB, want, got, rel float64, name string) {
	tb.Helper()
	require.InDelta(tb, want, got, rel*math.Abs(want), "%s: want %v, got %v", name, want, got)
}

// Published BG/NBD estimates on the CDNOW sample, 39-week calibration.
var (
	// Fader, Hardie & Lee (2005), section 7.
	fhl = clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	// BTYD vignette "Buy 'Til You Die – A Walkthrough", section 4.2.
	btyd = clv.BGNBD{R: 0.2425982, Alpha: 4.4136842, A: 0.7929899, B: 2.4261667}
)

func TestFitBGNBDReproducesCDNOW(t *testing.T) {
	t.Parallel()
	m, rep, err := clv.FitBGNBD(cdnowCustomers(t))
	require.NoError(t, err)

	// The paper prints 3 decimals and LL = −9582.4.
	require.InDelta(t, fhl.R, m.R, 5e-4)
	require.InDelta(t, fhl.Alpha, m.Alpha, 5e-4)
	require.InDelta(t, fhl.A, m.A, 5e-4)
	require.InDelta(t, fhl.B, m.B, 5e-4)
	require.InDelta(t, -9582.4, rep.LogLik, 0.05)
	// BTYD prints 7 digits and LL = −9582.429. The likelihood is flat along b
	// (BTYD's point is 1e-7 below our optimum), so 2e-4 relative is its precision.
	relClose(t, btyd.R, m.R, 2e-4, "r")
	relClose(t, btyd.Alpha, m.Alpha, 2e-4, "alpha")
	relClose(t, btyd.A, m.A, 2e-4, "a")
	relClose(t, btyd.B, m.B, 2e-4, "b")
	require.InDelta(t, -9582.429, rep.LogLik, 5e-4)

	require.True(t, rep.Converged, "%+v", rep)
	require.Less(t, rep.GradNorm, 1e-3)
	require.Equal(t, 2357, rep.Customers)
	require.Less(t, rep.Cells, 2357, "identical (x, t_x, T) triples are aggregated")
	require.Positive(t, rep.Iterations)

	btydLL, err := btyd.LogLik(cdnowCustomers(t))
	require.NoError(t, err)
	require.GreaterOrEqual(t, rep.LogLik, btydLL-1e-9, "the optimum is at least as good as the published one")
}

// The lifetimes package fits the published, rounded summary file; the paper's
// estimates come out of it too.
func TestFitBGNBDOnPublishedSummary(t *testing.T) {
	t.Parallel()
	f, err := os.Open(cdnowPath(t, "cdnow_customers_summary.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var cs []clv.Customer
	for _, row := range rows[1:] {
		x, err := strconv.Atoi(row[1])
		require.NoError(t, err)
		tx, err := strconv.ParseFloat(row[2], 64)
		require.NoError(t, err)
		T, err := strconv.ParseFloat(row[3], 64)
		require.NoError(t, err)
		cs = append(cs, clv.Customer{ID: row[0], X: x, TX: tx, T: T})
	}
	m, rep, err := clv.FitBGNBD(cs)
	require.NoError(t, err)
	require.InDelta(t, fhl.R, m.R, 5e-4)
	require.InDelta(t, fhl.Alpha, m.Alpha, 5e-4)
	require.InDelta(t, fhl.A, m.A, 5e-4)
	require.InDelta(t, fhl.B, m.B, 5e-4)
	require.InDelta(t, -9582.4, rep.LogLik, 0.05)
}

// naiveBGNBDLogLik is FHL eq. 6 taken literally, customer by customer.
func naiveBGNBDLogLik(m clv.BGNBD, cs []clv.Customer) float64 {
	var ll float64
	lbeta := func(a, b float64) float64 {
		la, _ := math.Lgamma(a)
		lb, _ := math.Lgamma(b)
		lab, _ := math.Lgamma(a + b)
		return la + lb - lab
	}
	for _, c := range cs {
		x := float64(c.X)
		lgrx, _ := math.Lgamma(m.R + x)
		lgr, _ := math.Lgamma(m.R)
		common := math.Exp(lgrx - lgr + m.R*math.Log(m.Alpha))
		l := math.Exp(lbeta(m.A, m.B+x)-lbeta(m.A, m.B)) * common / math.Pow(m.Alpha+c.T, m.R+x)
		if c.X > 0 {
			l += math.Exp(lbeta(m.A+1, m.B+x-1)-lbeta(m.A, m.B)) * common / math.Pow(m.Alpha+c.TX, m.R+x)
		}
		ll += math.Log(l)
	}
	return ll
}

func TestBGNBDLogLikMatchesDefinition(t *testing.T) {
	t.Parallel()
	cs := cdnowCustomers(t)
	for _, m := range []clv.BGNBD{fhl, {R: 1, Alpha: 1, A: 1, B: 1}, {R: 2.5, Alpha: 30, A: 0.2, B: 7}} {
		got, err := m.LogLik(cs)
		require.NoError(t, err)
		relClose(t, naiveBGNBDLogLik(m, cs), got, 1e-12, "log-likelihood")
	}

	// Large x would overflow the literal form; log-sum-exp keeps it finite.
	big := []clv.Customer{{ID: "whale", X: 900, TX: 38, T: 39}}
	ll, err := fhl.LogLik(big)
	require.NoError(t, err)
	require.False(t, math.IsNaN(ll) || math.IsInf(ll, 0), "ll = %v", ll)
	require.True(t, math.IsNaN(naiveBGNBDLogLik(fhl, big)) || math.IsInf(naiveBGNBDLogLik(fhl, big), 0),
		"the literal form overflows here, or this case proves nothing")
}

func TestBGNBDPredictions(t *testing.T) {
	t.Parallel()
	m, _, err := clv.FitBGNBD(cdnowCustomers(t))
	require.NoError(t, err)

	// Bruce Hardie's BG/NBD spreadsheet (also lifetimes' tests): a customer with
	// x = 2, t_x = 30.43, T = 38.86 is expected to buy 1.226 times in 39 weeks.
	require.InDelta(t, 1.226, m.ExpectedPurchases(39, 2, 30.43, 38.86), 5e-4)

	// Same spreadsheet: E[X(t)] for a new customer, printed to 4 decimals (at
	// the paper's rounded parameters, hence 1e-3).
	for _, c := range []struct{ t, want float64 }{
		{0.1429, 0.0078}, {1, 0.0532}, {3, 0.1506}, {31.8571, 1.0405}, {32, 1.0437}, {78, 1.8576},
	} {
		require.InDelta(t, c.want, m.PopulationPurchases(c.t), 1e-3, "t = %v", c.t)
	}

	require.Equal(t, 1.0, m.PAlive(0, 0, 38.86), "BG/NBD: no repeat purchase, no chance to drop out")
	require.Zero(t, m.ExpectedPurchases(0, 3, 10, 20))
	// A frequent buyer who stopped long ago is probably gone; a recent one is not.
	require.Less(t, m.PAlive(10, 5, 38), 0.05)
	require.Greater(t, m.PAlive(10, 37.5, 38), 0.9)
	for x := 0.0; x < 100; x += 10 {
		for tx := 0.0; tx < 100; tx += 10 {
			for T := tx; T < 100; T += 10 {
				if x == 0 && tx > 0 {
					continue
				}
				p := m.PAlive(x, tx, T)
				require.True(t, p >= 0 && p <= 1, "PAlive(%v, %v, %v) = %v", x, tx, T, p)
				e := m.ExpectedPurchases(52, x, tx, T)
				require.True(t, e >= 0 && !math.IsInf(e, 0), "E(%v, %v, %v) = %v", x, tx, T, e)
			}
		}
	}
	// Expectations grow with the horizon.
	prev := 0.0
	for _, h := range []float64{1, 10, 52, 520, 5200} {
		e := m.ExpectedPurchases(h, 2, 30.43, 38.86)
		require.Greater(t, e, prev)
		prev = e
	}
}

func TestFitBGNBDRecoversSimulatedParameters(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3 {
		truth := clv.BGNBD{R: 0.2 + rng.Float64(), Alpha: 2 + 10*rng.Float64(), A: 0.3 + rng.Float64(), B: 1 + 3*rng.Float64()}
		cs := simulate(rng, truth, clv.GammaGamma{P: 6, Q: 4, Gamma: 15}, 20000, false)
		m, rep, err := clv.FitBGNBD(cs)
		require.NoError(t, err)
		require.True(t, rep.Converged, "%+v", rep)
		relClose(t, truth.R, m.R, 0.15, "r")
		relClose(t, truth.Alpha, m.Alpha, 0.2, "alpha")
		relClose(t, truth.A, m.A, 0.35, "a")
		relClose(t, truth.B, m.B, 0.5, "b")
	}
}

func TestFitBGNBDDegenerate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cs   []clv.Customer
		want error
		msg  string
	}{
		{"no customers", nil, clv.ErrNoCustomers, ""},
		{"nobody repeats", []clv.Customer{{ID: "1", T: 10}, {ID: "2", T: 20}, {ID: "3", T: 5}}, clv.ErrNotIdentifiable, "none of the 3 customers"},
		{"negative x", []clv.Customer{{ID: "1", X: -1, T: 3}}, nil, "negative repeat purchases"},
		{"recency beyond age", []clv.Customer{{ID: "1", X: 1, TX: 4, T: 3}}, nil, "exceeds age"},
		{"NaN age", []clv.Customer{{ID: "1", X: 1, TX: 1, T: math.NaN()}}, nil, "finite"},
		{"recency without repeats", []clv.Customer{{ID: "1", TX: 1, T: 3}}, nil, "without repeat"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, _, err := clv.FitBGNBD(tc.cs)
			require.Error(t, err)
			require.Equal(t, clv.BGNBD{}, m, "no numbers come with an error")
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
			}
			require.ErrorContains(t, err, tc.msg)
		})
	}

	// Everyone bought on the last day: nobody is seen dropping out, so the
	// dropout probability is pushed to 0 and the fit must not pass that off as
	// an estimate.
	var alive []clv.Customer
	for i := range 200 {
		alive = append(alive, clv.Customer{ID: strconv.Itoa(i), X: 1 + i%5, TX: 30, T: 30})
	}
	_, _, err := clv.FitBGNBD(alive)
	require.ErrorIs(t, err, clv.ErrNotIdentifiable)
}
