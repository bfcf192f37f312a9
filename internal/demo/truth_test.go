package demo

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// planAll replays the plans of n customers (no events) and calls fn for each.
func planAll(t *testing.T, cfg Config, fn func(i int, l *latent, res planResult)) *world {
	t.Helper()
	cfg, err := cfg.normalized()
	require.NoError(t, err)
	w := newWorld(cfg)
	g := newRNG()
	var l latent
	p := planner{w: w, g: newRNG(), l: &l}
	for i := range cfg.Customers {
		w.drawLatent(g, i, &l)
		p.i = i
		fn(i, &l, p.plan())
	}
	return w
}

// TestPlantedBGNBD checks on many customers that repeat purchases follow the
// BG/NBD expectation and that latent parameters have the planted moments.
func TestPlantedBGNBD(t *testing.T) {
	t.Parallel()
	var x, e, v, lambda, p, nu float64
	var buyers, n int
	cfg := Config{Customers: 30000, Seed: 3, End: testEnd}
	w := planAll(t, cfg, func(_ int, l *latent, res planResult) {
		n++
		lambda += l.lambda
		p += l.p
		nu += l.nu
		if res.firstOrder == never {
			return
		}
		buyers++
		exp := expectedRepeats(bgR, bgAlpha, bgA, bgB, float64(testSpan(cfg)-res.firstOrder)/week)
		x += float64(res.orders - 1)
		e += exp
		v += (float64(res.orders-1) - exp) * (float64(res.orders-1) - exp)
	})
	require.NotNil(t, w)
	require.Greater(t, buyers, cfg.Customers/3)
	require.InDelta(t, e, x, 3.5*math.Sqrt(v), "repeat purchases: observed %.0f, expected %.1f", x, e)
	require.InEpsilon(t, bgR/bgAlpha, lambda/float64(n), 0.05, "mean λ")
	require.InEpsilon(t, bgA/(bgA+bgB), p/float64(n), 0.02, "mean p")
	require.InEpsilon(t, ggQ/ggGamma, nu/float64(n), 0.02, "mean ν")
}

func testSpan(cfg Config) uint32 {
	n, _ := cfg.normalized()
	return uint32(n.End.Sub(n.Start()) / time.Second)
}

// TestPlantedDirectMailLift checks the randomized holdout: its share, and that
// per-wave first-purchase conversion matches the planted rates in each arm,
// so that mailed customers convert with the planted relative lift.
func TestPlantedDirectMailLift(t *testing.T) {
	t.Parallel()
	cfg := Config{Customers: 40000, Seed: 11, End: testEnd}
	truth := Truths(cfg)
	var control, total int
	var obs, exp, vr [2]float64 // by arm: 0 control, 1 mailed
	var mailedAtControlRates float64
	planAll(t, cfg, func(i int, l *latent, res planResult) {
		total++
		if l.control {
			control++
		}
		if l.signup == never {
			return
		}
		arm := 1
		if l.control {
			arm = 0
		}
		for k, wave := range truth.DirectMail.Waves {
			d := truth.Delivery(i, k)
			start := truth.Start.Add(time.Duration(l.signup) * time.Second)
			if !d.After(start) || d.Add(mailWindowDays*24*time.Hour).After(truth.End) {
				continue
			}
			first := truth.Start.Add(time.Duration(res.firstOrder) * time.Second)
			if res.firstOrder != never && first.Before(d) {
				break
			}
			rate := wave.ControlRate
			if arm == 1 {
				rate = wave.TreatedRate
			}
			if res.firstOrder != never && first.Before(d.Add(mailWindowDays*24*time.Hour)) {
				obs[arm]++
			}
			exp[arm] += rate
			vr[arm] += rate * (1 - rate)
			if arm == 1 {
				mailedAtControlRates += wave.ControlRate
			}
		}
	})
	require.InDelta(t, controlShare, float64(control)/float64(total), 0.01)
	for arm := range 2 {
		require.InDelta(t, exp[arm], obs[arm], 4*math.Sqrt(vr[arm]), "arm %d: observed %.0f first purchases, planted rates expect %.1f", arm, obs[arm], exp[arm])
	}
	// The mailed arm against what the holdout's rates predict: the relative lift.
	lift := obs[1]/mailedAtControlRates - 1
	require.InDelta(t, mailLift, lift, 0.05, "estimated lift %.3f", lift)
	require.Greater(t, obs[1]/mailedAtControlRates, obs[0]/exp[0], "mailed customers convert more than the holdout")
}

func TestExpectedRepeatPurchases(t *testing.T) {
	t.Parallel()
	truth := Truths(Config{End: testEnd})
	require.Zero(t, truth.ExpectedRepeatPurchases(0))
	prev := 0.0
	for _, weeks := range []float64{1, 4, 13, 26, 52, 104} {
		got := truth.ExpectedRepeatPurchases(weeks)
		require.Greater(t, got, prev, "E[X(t)] grows with t")
		prev = got
	}
	// For small t, E[X(t)] ≈ t·E[λ] (dropout has had no time to act).
	require.InEpsilon(t, 0.01*bgR/bgAlpha, truth.ExpectedRepeatPurchases(0.01), 0.01)
}

func TestHyp2F1ClosedForms(t *testing.T) {
	t.Parallel()
	for _, z := range []float64{0.1, 0.5, 0.9, 0.99} {
		require.InEpsilon(t, -math.Log(1-z)/z, hyp2f1(1, 1, 2, z), 1e-9, "2F1(1,1;2;%v)", z)
		require.InEpsilon(t, math.Pow(1-z, -0.7), hyp2f1(0.7, 2, 2, z), 1e-9, "2F1(a,b;b;%v)", z)
	}
}

func TestTruthsReportsParameters(t *testing.T) {
	t.Parallel()
	cfg := Config{Customers: 50, Seed: 4, End: testEnd}
	truth := Truths(cfg)
	require.Equal(t, 50, truth.Customers)
	require.Equal(t, testEnd, truth.End)
	require.Equal(t, testEnd.AddDate(0, 0, -DefaultDays), truth.Start)
	require.Equal(t, BGNBD{R: 0.25, Alpha: 4, A: 0.8, B: 2.5, TimeUnit: "week"}, truth.BGNBD)
	require.InDelta(t, 120.0, truth.MeanOrderValue(), 1e-9)
	require.Len(t, truth.DirectMail.Waves, (DefaultDays-firstWaveDay-1)/waveEveryDays+1)
	for _, wv := range truth.DirectMail.Waves {
		require.InDelta(t, wv.ControlRate*(1+mailLift), wv.TreatedRate, 1e-12)
	}
	b, err := json.Marshal(truth)
	require.NoError(t, err)
	require.Contains(t, string(b), `"relative_lift":0.25`)

	ct := truth.Customer(7)
	require.Equal(t, "cust-0000007", ct.UserID)
	require.Equal(t, ct, truth.Customer(7), "customer truth is deterministic")
	require.Equal(t, CustomerTruth{Index: 50, Household: -1}, truth.Customer(50))
	require.Nil(t, Truths(Config{}).DirectMail.Waves, "no End: no waves")
}

func TestUserIDRoundTrip(t *testing.T) {
	t.Parallel()
	for _, i := range []int{0, 7, 9999999, 12345678} {
		got, ok := CustomerIndex(UserID(i))
		require.True(t, ok)
		require.Equal(t, i, got)
	}
	for _, bad := range []string{"", "cust-12", "user-0000001", "cust-00000x1", "cust--000001"} {
		_, ok := CustomerIndex(bad)
		require.False(t, ok, bad)
	}
}
