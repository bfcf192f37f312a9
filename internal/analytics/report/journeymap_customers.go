package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
)

// CellQuery picks the customers of one journey-map cell: a stage and
// optionally a channel and a touchpoint (empty: any), optionally only
// those who advanced (or did not).
type CellQuery struct {
	Stage      string
	Channel    string
	Touchpoint string
	Advanced   *bool
}

// CellCustomer is one customer of a cell.
type CellCustomer struct {
	ProfileID string    `json:"profile_id"`
	Events    int64     `json:"events"`
	First     time.Time `json:"first"`
	Last      time.Time `json:"last"`
	Advanced  bool      `json:"advanced"`
}

// MapCustomers lists the customers of one cell of a journey map with the
// same walk as Map, so a cell's list has as many customers as its count.
// Like Map it replays on several cores: Page (or Close) waits for them.
type MapCustomers struct {
	spec  MapSpec
	fan   *fanOut[*cellPart]
	found []CellCustomer
}

var _ funnel.Accumulator = (*MapCustomers)(nil)

// cellPart finds the cell's customers among those one worker replays.
type cellPart struct {
	q      *CellQuery
	stage  int
	found  []CellCustomer
	walker *walker
}

// NewMapCustomers starts a drill-down into one cell.
func NewMapCustomers(spec MapSpec, q CellQuery) (*MapCustomers, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(q.Stage) == "" {
		return nil, fmt.Errorf("%w: stage is required (one of the map's columns)", ErrInvalid)
	}
	cols := spec.Model.Columns()
	stage := slices.Index(cols, q.Stage)
	if stage < 0 {
		return nil, fmt.Errorf("%w: stage %q is not one of %s", ErrInvalid, q.Stage, strings.Join(cols, ", "))
	}
	c := &MapCustomers{spec: spec}
	parts := make([]*cellPart, workers())
	for i := range parts {
		parts[i] = &cellPart{q: &q, stage: stage, walker: newWalker(&c.spec)}
	}
	c.fan = newFanOut(parts)
	return c, nil
}

// Add hands one profile's history to a worker.
func (c *MapCustomers) Add(h *funnel.History) { c.fan.Add(h) }

// Close stops the workers and gathers what they found; Page calls it.
func (c *MapCustomers) Close() {
	if c.fan.parts == nil {
		return
	}
	c.fan.Close()
	for _, p := range c.fan.parts {
		c.found = append(c.found, p.found...)
	}
	c.fan.parts = nil
}

// Add reads one profile's history.
func (c *cellPart) Add(h *funnel.History) {
	var cc CellCustomer
	c.walker.walk(h, func(t touch) {
		row := c.walker.rows[t.row]
		if t.stage != c.stage || (c.q.Channel != "" && row.Channel != c.q.Channel) ||
			(c.q.Touchpoint != "" && row.Touchpoint != c.q.Touchpoint) {
			return
		}
		if cc.Events == 0 {
			cc.First = t.at
		}
		cc.Events++
		cc.Last = t.at
		cc.Advanced = cc.Advanced || t.advanced
	})
	if cc.Events == 0 || (c.q.Advanced != nil && *c.q.Advanced != cc.Advanced) {
		return
	}
	cc.ProfileID = h.ProfileID
	c.found = append(c.found, cc)
}

// CellPage is a page of a cell's customers in profile id order.
type CellPage struct {
	Total     int            `json:"total"`
	Customers []CellCustomer `json:"customers"`
	// Next is the after value of the next page; empty on the last.
	Next string `json:"next,omitempty"`
}

// Page returns up to limit customers whose profile id sorts after after.
func (c *MapCustomers) Page(after string, limit int) CellPage {
	c.Close()
	slices.SortFunc(c.found, func(a, b CellCustomer) int { return cmp.Compare(a.ProfileID, b.ProfileID) })
	i, _ := slices.BinarySearchFunc(c.found, after, func(x CellCustomer, id string) int {
		if x.ProfileID <= id {
			return -1
		}
		return 1
	})
	if after == "" {
		i = 0
	}
	p := CellPage{Total: len(c.found), Customers: c.found[i:min(len(c.found), i+limit)]}
	if i+limit < len(c.found) {
		p.Next = c.found[i+limit-1].ProfileID
	}
	if p.Customers == nil {
		p.Customers = []CellCustomer{}
	}
	return p
}
