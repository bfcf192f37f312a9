package attribution

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// dataset is the validated input with channels interned: channel ids index
// names, which are sorted, and path i touches seq[off[i]:off[i+1]].
type dataset struct {
	names  []string
	seq    []int32
	off    []int
	conv   []float64
	value  []float64
	nulls  []float64
	src    []Path
	totals Totals
}

func (d *dataset) n() int { return len(d.off) - 1 }

func (d *dataset) path(i int) []int32 { return d.seq[d.off[i]:d.off[i+1]] }

func newDataset(paths []Path) (*dataset, error) {
	d := &dataset{names: []string{}, off: make([]int, 1, len(paths)+1), src: paths,
		conv: make([]float64, len(paths)), value: make([]float64, len(paths)), nulls: make([]float64, len(paths))}
	touches := 0
	for _, p := range paths {
		touches += len(p.Channels)
	}
	d.seq = make([]int32, 0, touches)
	ids := map[string]int32{}
	for i, p := range paths {
		if err := checkPath(p); err != nil {
			return nil, fmt.Errorf("path %d: %w", i+1, err)
		}
		for _, ch := range p.Channels {
			id, ok := ids[ch]
			if !ok {
				id = int32(len(d.names))
				ids[ch] = id
				d.names = append(d.names, ch)
			}
			d.seq = append(d.seq, id)
		}
		d.off = append(d.off, len(d.seq))
		d.conv[i], d.value[i], d.nulls[i] = p.Conversions, p.Value, p.Nulls
		d.totals.Conversions += p.Conversions
		d.totals.Value += p.Value
		d.totals.Nulls += p.Nulls
	}
	d.totals.Paths = len(paths)
	// Renumber channels so that ids follow the sorted names.
	order := make([]int32, len(d.names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(d.names[a], d.names[b]) })
	remap := make([]int32, len(order))
	sorted := make([]string, len(order))
	for newID, oldID := range order {
		remap[oldID] = int32(newID)
		sorted[newID] = d.names[oldID]
	}
	d.names = sorted
	for i, id := range d.seq {
		d.seq[i] = remap[id]
	}
	return d, nil
}

func checkPath(p Path) error {
	if len(p.Channels) == 0 {
		return fmt.Errorf("%w: no touchpoint", ErrBadPath)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"conversions", p.Conversions}, {"value", p.Value}, {"nulls", p.Nulls}} {
		if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return fmt.Errorf("%w: %s %g must be a non-negative number", ErrBadPath, f.name, f.v)
		}
	}
	if p.Value > 0 && p.Conversions == 0 {
		return fmt.Errorf("%w: value %g without conversions", ErrBadPath, p.Value)
	}
	if p.Times != nil && len(p.Times) != len(p.Channels) {
		return fmt.Errorf("%w: %d times for %d touches", ErrBadPath, len(p.Times), len(p.Channels))
	}
	return nil
}
