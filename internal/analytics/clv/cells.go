package clv

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// rfCell is one distinct (x, t_x, T) triple and how many customers share it.
// The BG/NBD and Pareto/NBD likelihoods depend on a customer only through the
// triple, so summing over distinct triples weighted by their counts gives the
// same log-likelihood as summing over customers, in far fewer terms when time
// is recorded in days.
type rfCell struct {
	x     int
	tx, T float64
	w     float64
}

// rfCells validates the summaries and aggregates them into distinct triples,
// sorted by x so that terms depending on x alone are computed once per x.
func rfCells(cs []Customer) ([]rfCell, int, error) {
	type key struct {
		x     int
		tx, T float64
	}
	count := make(map[key]int)
	repeaters := 0
	for _, c := range cs {
		if err := checkRF(c); err != nil {
			return nil, 0, err
		}
		if c.X > 0 {
			repeaters++
		}
		count[key{c.X, c.TX, c.T}]++
	}
	cells := make([]rfCell, 0, len(count))
	for k, n := range count {
		cells = append(cells, rfCell{k.x, k.tx, k.T, float64(n)})
	}
	slices.SortFunc(cells, func(a, b rfCell) int {
		return cmp.Or(cmp.Compare(a.x, b.x), cmp.Compare(a.tx, b.tx), cmp.Compare(a.T, b.T))
	})
	return cells, repeaters, nil
}

func checkRF(c Customer) error {
	ok := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= 0 }
	switch {
	case c.X < 0:
		return fmt.Errorf("customer %s: negative repeat purchases %d", c.ID, c.X)
	case !ok(c.TX) || !ok(c.T):
		return fmt.Errorf("customer %s: recency %v and age %v must be finite and non-negative", c.ID, c.TX, c.T)
	case c.TX > c.T:
		return fmt.Errorf("customer %s: recency %v exceeds age %v", c.ID, c.TX, c.T)
	case c.X == 0 && c.TX != 0:
		return fmt.Errorf("customer %s: recency %v without repeat purchases", c.ID, c.TX)
	}
	return nil
}

// startRate is a scale-aware starting value for the gamma rate parameter α
// with shape 1: the mean purchase rate r/α matched to Σx / ΣT.
func startRate(cells []rfCell) float64 {
	var sx, st float64
	for _, c := range cells {
		sx += c.w * float64(c.x)
		st += c.w * c.T
	}
	if sx <= 0 || st <= 0 {
		return 1
	}
	return st / sx
}
