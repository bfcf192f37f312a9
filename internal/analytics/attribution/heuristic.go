package attribution

import (
	"fmt"
	"math"
	"time"
)

// give adds fraction f of path i's conversions and value to channel ch.
func (d *dataset) give(c credits, i int, ch int32, f float64) {
	c.conv[ch] += f * d.conv[i]
	c.value[ch] += f * d.value[i]
}

func (d *dataset) first() credits {
	c := newCredits(len(d.names))
	for i := range d.n() {
		d.give(c, i, d.path(i)[0], 1)
	}
	return c
}

func (d *dataset) last() credits {
	c := newCredits(len(d.names))
	for i := range d.n() {
		p := d.path(i)
		d.give(c, i, p[len(p)-1], 1)
	}
	return c
}

// linear gives every touch an equal share: per occurrence, so a channel
// touched twice in a path of four gets 2/4.
func (d *dataset) linear() credits {
	c := newCredits(len(d.names))
	for i := range d.n() {
		p := d.path(i)
		f := 1 / float64(len(p))
		for _, ch := range p {
			d.give(c, i, ch, f)
		}
	}
	return c
}

// position gives w[0] to the first touch, w[2] to the last and splits w[1]
// evenly among the middle touches; one touch gets all, two get half each.
func (d *dataset) position(w [3]float64) credits {
	c := newCredits(len(d.names))
	for i := range d.n() {
		p := d.path(i)
		switch n := len(p); n {
		case 1:
			d.give(c, i, p[0], 1)
		case 2:
			d.give(c, i, p[0], 0.5)
			d.give(c, i, p[1], 0.5)
		default:
			d.give(c, i, p[0], w[0])
			d.give(c, i, p[n-1], w[2])
			mid := w[1] / float64(n-2)
			for _, ch := range p[1 : n-1] {
				d.give(c, i, ch, mid)
			}
		}
	}
	return c
}

// timeDecay weighs a touch of age a by 2^(−a/halfLife). It returns a note
// instead of credits when paths that carry conversions or value have no
// touch times (path files).
func (d *dataset) timeDecay(halfLife time.Duration) (credits, string, error) {
	missing := 0
	for i, p := range d.src {
		if p.Times == nil && (d.conv[i] > 0 || d.value[i] > 0) {
			missing++
		}
	}
	if missing > 0 {
		return credits{}, fmt.Sprintf("time_decay not computed: %d of %d paths carry no touch times; "+
			"time decay needs the time of every touch, which Cairn's own events have and path files do not", missing, d.n()), nil
	}
	c := newCredits(len(d.names))
	var weights []float64
	for i, p := range d.src {
		if d.conv[i] == 0 && d.value[i] == 0 {
			continue
		}
		end := p.ConvertedAt
		if end.IsZero() {
			end = p.Times[len(p.Times)-1]
		}
		// Ages are measured from the newest touch so that no weight
		// underflows: 2^(−(a−min)/h) normalises to the same shares.
		minAge := time.Duration(math.MaxInt64)
		for k, t := range p.Times {
			age := end.Sub(t)
			if age < 0 {
				return credits{}, "", fmt.Errorf("path %d: %w: touch %d at %s is after the conversion at %s",
					i+1, ErrBadPath, k+1, t.Format(time.RFC3339), end.Format(time.RFC3339))
			}
			minAge = min(minAge, age)
		}
		weights = weights[:0]
		sum := 0.0
		for _, t := range p.Times {
			w := math.Exp2(-float64(end.Sub(t)-minAge) / float64(halfLife))
			weights = append(weights, w)
			sum += w
		}
		ids := d.path(i)
		for k, w := range weights {
			d.give(c, i, ids[k], w/sum)
		}
	}
	return c, "", nil
}
