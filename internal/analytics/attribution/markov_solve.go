package attribution

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// denseMaxStates is the largest chain solved by dense LU; larger chains
// (order 2 and 3 over many channels) use sparse Gauss–Seidel.
const denseMaxStates = 400

// Gauss–Seidel stops when the a-posteriori bound on the absorption
// probabilities, residual × longest expected time to absorption, is below
// gsTolerance; it gives up after gsMaxSweeps sweeps.
const (
	gsTolerance = 1e-12
	gsMaxSweeps = 1_000_000
)

var errNoConvergence = errors.New("gauss-seidel did not converge")

type solverKind int

const (
	solverAuto solverKind = iota
	solverDense
	solverIterative
)

// solver returns P(conversion) from (start), with the removed states (nil:
// none) turned into (null).
type solver interface {
	solve(removed []bool) (float64, error)
	name() string
}

func newSolver(c *chain, kind solverKind) solver {
	if kind == solverDense || (kind == solverAuto && c.size() <= denseMaxStates) {
		return &denseSolver{c: c}
	}
	return &gsSolver{c: c}
}

type denseSolver struct{ c *chain }

func (*denseSolver) name() string { return "dense-lu" }

func (s *denseSolver) solve(removed []bool) (float64, error) {
	c := s.c
	pos := make([]int, c.size()) // position of a kept state in the system, or -1
	m := 0
	for st := range pos {
		pos[st] = -1
		if removed == nil || !removed[st] {
			pos[st] = m
			m++
		}
	}
	if m == 0 {
		return 0, nil
	}
	a := mat.NewDense(m, m, nil)
	b := mat.NewVecDense(m, nil)
	for st, i := range pos {
		if i < 0 {
			continue
		}
		a.Set(i, i, a.At(i, i)+1)
		b.SetVec(i, c.toConv[st])
		for k := c.rowStart[st]; k < c.rowStart[st+1]; k++ {
			if j := pos[c.next[k]]; j >= 0 {
				a.Set(i, j, a.At(i, j)-c.prob[k])
			}
		}
	}
	var lu mat.LU
	lu.Factorize(a)
	var x mat.VecDense
	if err := lu.SolveVecTo(&x, false, b); err != nil {
		return 0, fmt.Errorf("dense solve of %d states: %w", m, err)
	}
	p := 0.0
	for st, i := range pos {
		if i >= 0 {
			p += c.start[st] * x.AtVec(i)
		}
	}
	return p, nil
}

// gsSolver solves (I − Q)x = b by Gauss–Seidel sweeps in state order (the
// order of first appearance, close to topological, so sweeps converge fast).
type gsSolver struct {
	c    *chain
	base []float64 // solution without removal, the warm start of the others
	tau  float64   // longest expected time to absorption, bounds ‖(I − Q)⁻¹‖∞
}

func (*gsSolver) name() string { return "gauss-seidel" }

func (s *gsSolver) solve(removed []bool) (float64, error) {
	if s.base == nil {
		if err := s.init(); err != nil {
			return 0, err
		}
	}
	if removed == nil {
		return s.c.dot(s.base), nil
	}
	x := make([]float64, s.c.size())
	copy(x, s.base)
	if err := s.iterate(removed, x); err != nil {
		return 0, err
	}
	return s.c.dot(x), nil
}

// init computes tau, the longest expected time to absorption (the solution
// of (I − Q)t = 1), then the solution without removal.
func (s *gsSolver) init() error {
	c := s.c
	ones := make([]float64, c.size())
	for i := range ones {
		ones[i] = 1
	}
	t := make([]float64, c.size())
	for sweep := 0; ; sweep++ {
		if sweep == gsMaxSweeps {
			return fmt.Errorf("expected absorption times of %d states: %w", c.size(), errNoConvergence)
		}
		delta := c.sweep(nil, ones, t)
		top := 1.0
		for _, v := range t {
			top = max(top, v)
		}
		if delta <= 1e-13*top {
			// Removing states only shortens the time to absorption, so tau
			// bounds every removal's system too; a small margin covers the
			// iteration's own error.
			s.tau = top * (1 + 1e-6)
			break
		}
	}
	base := make([]float64, c.size())
	if err := s.iterate(nil, base); err != nil {
		return err
	}
	s.base = base
	return nil
}

func (s *gsSolver) iterate(removed []bool, x []float64) error {
	c := s.c
	for sweep := 0; sweep < gsMaxSweeps; sweep++ {
		delta := c.sweep(removed, c.toConv, x)
		if delta*s.tau > gsTolerance/10 {
			continue
		}
		if c.residual(removed, c.toConv, x)*s.tau <= gsTolerance {
			return nil
		}
	}
	return fmt.Errorf("absorption probabilities of %d states: %w", c.size(), errNoConvergence)
}

func (c *chain) dot(x []float64) float64 {
	p := 0.0
	for st, v := range x {
		p += c.start[st] * v
	}
	return p
}

// sweep updates x in place and returns the largest change.
func (c *chain) sweep(removed []bool, b, x []float64) float64 {
	delta := 0.0
	for st := range x {
		if removed != nil && removed[st] {
			x[st] = 0
			continue
		}
		acc, diag := b[st], 0.0
		for k := c.rowStart[st]; k < c.rowStart[st+1]; k++ {
			t := c.next[k]
			switch {
			case int(t) == st:
				diag += c.prob[k]
			case removed == nil || !removed[t]:
				acc += c.prob[k] * x[t]
			}
		}
		v := acc / (1 - diag)
		delta = max(delta, math.Abs(v-x[st]))
		x[st] = v
	}
	return delta
}

// residual is ‖b + Qx − x‖∞ over the kept states.
func (c *chain) residual(removed []bool, b, x []float64) float64 {
	r := 0.0
	for st := range x {
		if removed != nil && removed[st] {
			continue
		}
		acc := b[st] - x[st]
		for k := c.rowStart[st]; k < c.rowStart[st+1]; k++ {
			if t := c.next[k]; removed == nil || !removed[t] {
				acc += c.prob[k] * x[t]
			}
		}
		r = max(r, math.Abs(acc))
	}
	return r
}
