// Package progress lets a long analysis report how far it got: the caller
// puts a Counter in the context, the scans over profiles add to it, and a
// job endpoint reads it while the analysis runs. A context without a
// Counter costs a nil check.
package progress

import (
	"context"
	"sync/atomic"
)

// Counter counts profiles read against an expected total. It is safe for
// concurrent use; the zero value is ready.
type Counter struct {
	done, total atomic.Int64
}

type key struct{}

// With returns ctx carrying c.
func With(ctx context.Context, c *Counter) context.Context { return context.WithValue(ctx, key{}, c) }

// From returns the Counter of ctx, or nil (whose methods do nothing).
func From(ctx context.Context) *Counter {
	c, _ := ctx.Value(key{}).(*Counter)
	return c
}

// Add counts n more profiles read.
func (c *Counter) Add(n int) {
	if c != nil {
		c.done.Add(int64(n))
	}
}

// SetTotal sets the number of profiles the analysis is expected to read.
func (c *Counter) SetTotal(n int64) {
	if c != nil {
		c.total.Store(n)
	}
}

// Snapshot is the progress at one moment.
type Snapshot struct {
	Done  int64 `json:"profiles_read"`
	Total int64 `json:"profiles_total"`
	// Fraction is Done/Total, capped below 1 until the analysis ends (an
	// analysis may read the profiles more than once); 0 without a total.
	Fraction float64 `json:"fraction"`
}

// Snapshot reads the counter.
func (c *Counter) Snapshot() Snapshot {
	if c == nil {
		return Snapshot{}
	}
	s := Snapshot{Done: c.done.Load(), Total: c.total.Load()}
	if s.Total > 0 {
		s.Fraction = min(float64(s.Done)/float64(s.Total), 0.99)
	}
	return s
}
