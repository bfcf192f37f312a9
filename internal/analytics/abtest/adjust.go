package abtest

import (
	"cmp"
	"slices"
)

// Holm returns Holm's step-down adjusted p-values for a family of tests, in
// the order given: with the p-values sorted ascending p₍₁₎ ≤ … ≤ p₍ₘ₎,
// p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎). Rejecting where p̃ < α
// controls the family-wise error rate at α under any dependence between the
// tests (Holm 1979). It matches R's p.adjust(p, "holm").
func Holm(ps []float64) []float64 {
	m := len(ps)
	out := make([]float64, m)
	running := 0.0
	for rank, i := range ascending(ps) {
		running = max(running, min(1, float64(m-rank)*ps[i]))
		out[i] = running
	}
	return out
}

// BenjaminiHochberg returns the Benjamini–Hochberg adjusted p-values
// (q-values), in the order given: p̃₍ᵢ₎ = min_{j ≥ i} min(1, m·p₍ⱼ₎/j).
// Rejecting where p̃ < α controls the false discovery rate at α for
// independent or positively dependent tests (Benjamini & Hochberg 1995). It
// matches R's p.adjust(p, "BH"). Use it for exploratory tables with many
// rows, where Holm's family-wise control would hide every effect.
func BenjaminiHochberg(ps []float64) []float64 {
	m := len(ps)
	out := make([]float64, m)
	order := ascending(ps)
	running := 1.0
	for rank := m - 1; rank >= 0; rank-- {
		i := order[rank]
		running = min(running, float64(m)*ps[i]/float64(rank+1))
		out[i] = running
	}
	return out
}

// ascending returns the indexes of ps ordered by value (stable for ties).
func ascending(ps []float64) []int {
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(ps[a], ps[b]) })
	return idx
}
