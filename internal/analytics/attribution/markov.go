package attribution

import (
	"encoding/binary"
	"fmt"
)

// chain is the absorbing Markov chain of the paths: transient states are
// windows of up to three channel ids (padded with -1), in order of first
// appearance; (start), (conversion) and (null) are implicit.
type chain struct {
	windows [][3]int32
	// Row s of the transient-to-transient block in CSR form, self-loops
	// included: next[rowStart[s]:rowStart[s+1]] with probabilities prob.
	rowStart []int
	next     []int32
	prob     []float64
	toConv   []float64 // P(s → conversion)
	start    []float64 // P(start → s)
}

func (c *chain) size() int { return len(c.windows) }

// uniquePaths aggregates identical channel sequences, returning the first
// path index of each sequence and its summed conversions and nulls.
func (d *dataset) uniquePaths(includeNulls bool) (first []int, conv, nulls []float64) {
	index := map[string]int{}
	var key []byte
	for i := range d.n() {
		nl := 0.0
		if includeNulls {
			nl = d.nulls[i]
		}
		if d.conv[i]+nl == 0 {
			continue
		}
		key = key[:0]
		for _, ch := range d.path(i) {
			key = binary.LittleEndian.AppendUint32(key, uint32(ch))
		}
		u, ok := index[string(key)]
		if !ok {
			u = len(first)
			index[string(key)] = u
			first = append(first, i)
			conv = append(conv, 0)
			nulls = append(nulls, 0)
		}
		conv[u] += d.conv[i]
		nulls[u] += nl
	}
	return first, conv, nulls
}

// buildChain builds the order-k chain described in the package doc.
func (d *dataset) buildChain(order int, includeNulls bool) *chain {
	first, conv, nulls := d.uniquePaths(includeNulls)
	c := &chain{}
	ids := map[[3]int32]int32{}
	type edge struct{ from, to int32 }
	counts := map[edge]float64{}
	var out, convW, startW []float64
	var states []int32
	for u, i := range first {
		p := d.path(i)
		states = states[:0]
		for j := 0; j == 0 || j+order <= len(p); j++ {
			w := [3]int32{-1, -1, -1}
			copy(w[:], p[j:min(j+order, len(p))])
			id, ok := ids[w]
			if !ok {
				id = int32(len(c.windows))
				ids[w] = id
				c.windows = append(c.windows, w)
				out, convW, startW = append(out, 0), append(convW, 0), append(startW, 0)
			}
			states = append(states, id)
		}
		weight := conv[u] + nulls[u]
		startW[states[0]] += weight
		for j := 1; j < len(states); j++ {
			counts[edge{states[j-1], states[j]}] += weight
			out[states[j-1]] += weight
		}
		last := states[len(states)-1]
		convW[last] += conv[u]
		out[last] += weight // to (conversion) and (null)
	}
	n := len(c.windows)
	c.rowStart = make([]int, n+1)
	for e := range counts {
		c.rowStart[e.from+1]++
	}
	for s := range n {
		c.rowStart[s+1] += c.rowStart[s]
	}
	c.next = make([]int32, len(counts))
	c.prob = make([]float64, len(counts))
	fill := make([]int, n)
	copy(fill, c.rowStart[:n])
	for e, w := range counts {
		k := fill[e.from]
		fill[e.from]++
		c.next[k], c.prob[k] = e.to, w/out[e.from]
	}
	// Sort each row by target so that results do not depend on map order.
	for s := range n {
		sortRow(c.next[c.rowStart[s]:c.rowStart[s+1]], c.prob[c.rowStart[s]:c.rowStart[s+1]])
	}
	c.toConv = make([]float64, n)
	c.start = make([]float64, n)
	total := 0.0
	for _, w := range startW {
		total += w
	}
	for s := range n {
		c.toConv[s] = convW[s] / out[s]
		c.start[s] = startW[s] / total
	}
	return c
}

func sortRow(next []int32, prob []float64) {
	for i := 1; i < len(next); i++ { // rows are short: insertion sort
		for j := i; j > 0 && next[j] < next[j-1]; j-- {
			next[j], next[j-1] = next[j-1], next[j]
			prob[j], prob[j-1] = prob[j-1], prob[j]
		}
	}
}

// markovResult is the outcome of the Markov model.
type markovResult struct {
	credits credits
	removal []float64
	summary MarkovSummary
	notes   []string
}

func (d *dataset) markov(order int, includeNulls bool, kind solverKind) (markovResult, error) {
	c := d.buildChain(order, includeNulls)
	res := markovResult{credits: newCredits(len(d.names)), removal: make([]float64, len(d.names)),
		summary: MarkovSummary{Order: order, IncludeNulls: includeNulls, States: c.size()}}
	s := newSolver(c, kind)
	res.summary.Solver = s.name()
	base, err := s.solve(nil)
	if err != nil {
		return markovResult{}, fmt.Errorf("solve markov chain: %w", err)
	}
	res.summary.ConversionProbability = base
	if base == 0 {
		res.notes = append(res.notes, "markov: no path converts, so every removal effect is 0")
		return res, nil
	}
	// containing[ch] lists the states whose window holds channel ch.
	containing := make([][]int32, len(d.names))
	for s, w := range c.windows {
		for k, ch := range w {
			if ch >= 0 && !containsBefore(w[:k], ch) {
				containing[ch] = append(containing[ch], int32(s))
			}
		}
	}
	removed := make([]bool, c.size())
	sum := 0.0
	for ch, states := range containing {
		if len(states) == 0 { // only on paths the chain leaves out
			continue
		}
		for _, st := range states {
			removed[st] = true
		}
		p, err := s.solve(removed)
		if err != nil {
			return markovResult{}, fmt.Errorf("solve markov chain without %s: %w", d.names[ch], err)
		}
		for _, st := range states {
			removed[st] = false
		}
		re := 1 - p/base
		if re < 1e-14 { // removal cannot raise P(conversion): clamp rounding
			re = 0
		}
		res.removal[ch] = re
		sum += re
	}
	if sum == 0 {
		res.notes = append(res.notes, "markov: no removal changes P(conversion), so no channel gets credit")
		return res, nil
	}
	for ch, re := range res.removal {
		res.credits.conv[ch] = d.totals.Conversions * re / sum
		res.credits.value[ch] = d.totals.Value * re / sum
	}
	return res, nil
}

func containsBefore(w []int32, ch int32) bool {
	for _, x := range w {
		if x == ch {
			return true
		}
	}
	return false
}
