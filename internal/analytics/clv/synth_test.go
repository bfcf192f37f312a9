package clv_test

import (
	"math"
	"math/rand/v2"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
)

// simulate draws n customer summaries from the BG/NBD purchase process and
// the Gamma-Gamma spend process, in weeks: first purchases spread over the
// first 12 weeks of a 39-week calibration period, like the CDNOW cohort. With
// days set, recency and age are whole days (as Summarize produces them), so
// many customers share (x, t_x, T).
func simulate(rng *rand.Rand, m clv.BGNBD, g clv.GammaGamma, n int, days bool) []clv.Customer {
	src := rand.NewPCG(rng.Uint64(), rng.Uint64())
	lambda := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: src}
	drop := distuv.Beta{Alpha: m.A, Beta: m.B, Src: src}
	nu := distuv.Gamma{Alpha: g.Q, Beta: g.Gamma, Src: src}
	const calDays = 273
	out := make([]clv.Customer, n)
	for i := range out {
		first := rng.IntN(84)
		T := float64(calDays-first) / 7
		if !days {
			T = 39 - 12*rng.Float64()
		}
		l, p := lambda.Rand(), drop.Rand()
		x, tx := 0, 0.0
		for t := 0.0; ; {
			t += rng.ExpFloat64() / l
			if t > T {
				break
			}
			x, tx = x+1, t
			if rng.Float64() < p {
				break
			}
		}
		if days {
			tx = math.Floor(tx*7) / 7
		}
		c := clv.Customer{ID: strconv.Itoa(i), X: x, TX: tx, T: T}
		if x > 0 {
			// The mean of x Gamma(p, ν) values is Gamma(px, xν).
			c.ZBar = distuv.Gamma{Alpha: g.P * float64(x), Beta: nu.Rand() * float64(x), Src: src}.Rand()
			if days {
				c.ZBar = math.Round(c.ZBar*100) / 100
			}
		}
		out[i] = c
	}
	return out
}
