package attribution

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
)

// z95 is the two-sided 95% quantile of the standard normal distribution.
const z95 = 1.959963984540054

// shapleyExact is the closed form of the package doc: each path gives its
// conversions and value in equal parts to the distinct channels it touched.
func (d *dataset) shapleyExact() credits {
	c := newCredits(len(d.names))
	seen := make([]int, len(d.names)) // seen[ch] == i+1: ch already counted in path i
	var distinct []int32
	for i := range d.n() {
		distinct = distinct[:0]
		for _, ch := range d.path(i) {
			if seen[ch] != i+1 {
				seen[ch] = i + 1
				distinct = append(distinct, ch)
			}
		}
		f := 1 / float64(len(distinct))
		for _, ch := range distinct {
			d.give(c, i, ch, f)
		}
	}
	return c
}

// channelSets aggregates the paths by their set of touched channels.
type channelSets struct {
	ids         []int32 // set u is ids[off[u]:off[u+1]], sorted
	off         []int
	conv, value []float64
}

func (d *dataset) channelSets() channelSets {
	s := channelSets{off: []int{0}}
	index := map[string]int{}
	var set []int32
	var key []byte
	for i := range d.n() {
		if d.conv[i] == 0 && d.value[i] == 0 {
			continue
		}
		set = append(set[:0], d.path(i)...)
		slices.Sort(set)
		set = slices.Compact(set)
		key = key[:0]
		for _, ch := range set {
			key = binary.LittleEndian.AppendUint32(key, uint32(ch))
		}
		u, ok := index[string(key)]
		if !ok {
			u = len(s.conv)
			index[string(key)] = u
			s.ids = append(s.ids, set...)
			s.off = append(s.off, len(s.ids))
			s.conv, s.value = append(s.conv, 0), append(s.value, 0)
		}
		s.conv[u] += d.conv[i]
		s.value[u] += d.value[i]
	}
	return s
}

// shapleySampled estimates Shapley values from random orderings of the
// channels: in each ordering a channel's marginal contribution is the weight
// of the paths whose set it completes (it comes last among the set). The
// estimate is the mean over orderings; the error is the 95% normal
// confidence half-width of that mean.
func (d *dataset) shapleySampled(samples int, seed uint64) (credits, ShapleyError) {
	n := len(d.names)
	sets := d.channelSets()
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pos := make([]int, n)
	mc, mv := make([]float64, n), make([]float64, n)
	sumC, sumV := make([]float64, n), make([]float64, n)
	sqC, sqV := make([]float64, n), make([]float64, n)
	for range samples {
		for i, ch := range rng.Perm(n) {
			pos[ch] = i
		}
		clear(mc)
		clear(mv)
		for u := range sets.conv {
			lastCh, lastPos := int32(-1), -1
			for _, ch := range sets.ids[sets.off[u]:sets.off[u+1]] {
				if pos[ch] > lastPos {
					lastCh, lastPos = ch, pos[ch]
				}
			}
			mc[lastCh] += sets.conv[u]
			mv[lastCh] += sets.value[u]
		}
		for ch := range n {
			sumC[ch] += mc[ch]
			sqC[ch] += mc[ch] * mc[ch]
			sumV[ch] += mv[ch]
			sqV[ch] += mv[ch] * mv[ch]
		}
	}
	c := newCredits(n)
	se := ShapleyError{Samples: samples, Confidence: 0.95,
		Conversions: make(map[string]float64, n), Value: make(map[string]float64, n)}
	m := float64(samples)
	for ch, name := range d.names {
		c.conv[ch], c.value[ch] = sumC[ch]/m, sumV[ch]/m
		se.Conversions[name] = halfWidth(sumC[ch], sqC[ch], m)
		se.Value[name] = halfWidth(sumV[ch], sqV[ch], m)
	}
	return c, se
}

// halfWidth is the 95% confidence half-width of a mean of m samples.
func halfWidth(sum, sq, m float64) float64 {
	mean := sum / m
	v := max(0, (sq-m*mean*mean)/(m-1))
	return z95 * math.Sqrt(v/m)
}
