package demo

import (
	"math"
	"math/rand/v2"
)

// Stream tags separate the random streams drawn for one customer, so that
// adding a draw to one stream never shifts another (and never shifts the
// planted truths).
const (
	streamLatent uint64 = iota + 1
	streamPlan
	streamActivity
	streamOrder
	streamRefund
	streamDevice
	streamHousehold
	streamControl
	streamJitter
	streamMessage
	streamCart
	streamVendor
)

// mix is the SplitMix64 finalizer: a bijective, well-avalanched 64-bit hash.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hash3 hashes a seed, a stream tag and two integers into 64 bits.
func hash3(seed, stream, a, b uint64) uint64 {
	h := mix(seed ^ 0x6a09e667f3bcc908)
	h = mix(h ^ (stream * 0x9e3779b97f4a7c15))
	h = mix(h ^ a)
	return mix(h ^ (b + 0x3c6ef372fe94f82b))
}

// unit maps a 64-bit hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// rng is a reseedable PCG generator: one value is reused for every customer
// and activity so that drawing never allocates.
type rng struct {
	pcg rand.PCG
	*rand.Rand
}

func newRNG() *rng {
	g := &rng{}
	g.Rand = rand.New(&g.pcg)
	return g
}

// reset reseeds the generator for (stream, a, b) under seed.
func (g *rng) reset(seed, stream, a, b uint64) {
	g.pcg.Seed(hash3(seed, stream, a, b), hash3(seed, stream^0xffff, a, b))
}

// chance reports true with probability p.
func (g *rng) chance(p float64) bool { return g.Float64() < p }

// gamma draws Gamma(shape, rate 1) with Marsaglia and Tsang's method (and the
// u^(1/shape) boost below shape 1).
func (g *rng) gamma(shape float64) float64 {
	if shape < 1 {
		u := g.Float64()
		return g.gamma(1+shape) * math.Pow(u, 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := g.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := g.Float64()
		if u < 1-0.0331*x*x*x*x {
			return d * v
		}
		if math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// beta draws Beta(a, b).
func (g *rng) beta(a, b float64) float64 {
	x := g.gamma(a)
	y := g.gamma(b)
	if x+y == 0 {
		return 0.5
	}
	return x / (x + y)
}

// poisson draws Poisson(mean) by Knuth's product method (means here are small).
func (g *rng) poisson(mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 30 {
		n := int(math.Round(mean + math.Sqrt(mean)*g.NormFloat64()))
		return max(n, 0)
	}
	l := math.Exp(-mean)
	k := 0
	p := g.Float64()
	for p > l {
		k++
		p *= g.Float64()
	}
	return k
}

// pick returns an index drawn with the given cumulative weights (last = total).
func (g *rng) pick(cum []float64) int {
	u := g.Float64() * cum[len(cum)-1]
	for i, c := range cum {
		if u < c {
			return i
		}
	}
	return len(cum) - 1
}

// cumulative turns weights into a cumulative table for pick.
func cumulative(w []float64) []float64 {
	out := make([]float64, len(w))
	s := 0.0
	for i, v := range w {
		s += v
		out[i] = s
	}
	return out
}
