package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
)

// FlowEvents are the events the stage flow decodes.
var FlowEvents = []string{EventStageChanged}

// FlowSpec configures a stage flow over [Since, Until); zero ends default
// to the first and last stage change.
type FlowSpec struct {
	Period       Period
	Since, Until time.Time
}

type change struct {
	at       time.Time
	from, to string
}

// Flow accumulates the lifecycle stage changes of every customer.
type Flow struct {
	spec      FlowSpec
	customers [][]change
}

var _ funnel.Accumulator = (*Flow)(nil)

// NewFlow starts a stage flow.
func NewFlow(spec FlowSpec) (*Flow, error) {
	if _, err := ParsePeriod(string(spec.Period)); err != nil {
		return nil, err
	}
	if !spec.Since.IsZero() && !spec.Until.IsZero() && !spec.Until.After(spec.Since) {
		return nil, fmt.Errorf("%w: until must be after since", ErrInvalid)
	}
	return &Flow{spec: spec}, nil
}

// Add reads one profile's history.
func (f *Flow) Add(h *funnel.History) {
	var cs []change
	for i := range h.Events {
		e := &h.Events[i]
		if e.Name == EventStageChanged && str(e, "to") != "" {
			cs = append(cs, change{at: e.Timestamp, from: cmp.Or(str(e, "from"), "(none)"), to: str(e, "to")})
		}
	}
	if len(cs) > 0 {
		slices.SortStableFunc(cs, func(a, b change) int { return a.at.Compare(b.at) })
		f.customers = append(f.customers, cs)
	}
}

// FlowReport is a Sankey of customers between stages per period and the
// stage changes of each period.
type FlowReport struct {
	Period  Period       `json:"period"`
	Sankey  Sankey       `json:"sankey"`
	Periods []FlowPeriod `json:"periods"`
}

// Sankey has a column of stage nodes at every period boundary; a link goes
// from a customer's stage at a period's start to their stage at its end
// (the same stage when they did not move). A customer appears from the
// period of their first recorded change on.
type Sankey struct {
	Nodes []SankeyNode `json:"nodes"`
	Links []SankeyLink `json:"links"`
}

// SankeyNode is a stage at a period boundary.
type SankeyNode struct {
	ID     string    `json:"id"` // "<column>:<stage>"
	Column int       `json:"column"`
	At     time.Time `json:"at"`
	Stage  string    `json:"stage"`
	Count  int64     `json:"count"`
}

// SankeyLink is the customers going from one node to the next column.
type SankeyLink struct {
	Source string `json:"source"`
	Target string `json:"target"`
	Value  int64  `json:"value"`
}

// FlowPeriod is one period's stage changes (events, not customers).
type FlowPeriod struct {
	Start       time.Time    `json:"start"`
	End         time.Time    `json:"end"`
	Changes     int64        `json:"changes"`
	Transitions []Transition `json:"transitions"`
}

// Transition counts changes from one stage to another.
type Transition struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Count int64  `json:"count"`
}

// Result builds the flow.
func (f *Flow) Result() (FlowReport, error) {
	r := FlowReport{Period: f.spec.Period, Sankey: Sankey{Nodes: []SankeyNode{}, Links: []SankeyLink{}}, Periods: []FlowPeriod{}}
	since, until := f.spec.Since, f.spec.Until
	for _, cs := range f.customers {
		if first := cs[0].at; f.spec.Since.IsZero() && (since.IsZero() || first.Before(since)) {
			since = first
		}
		if last := cs[len(cs)-1].at; f.spec.Until.IsZero() && !last.Before(until) {
			until = last.Add(time.Nanosecond) // the last change is inside the range
		}
	}
	if since.IsZero() || until.IsZero() {
		return r, nil // no changes and no range
	}
	bs, err := f.spec.Period.bounds(since, until)
	if err != nil {
		return FlowReport{}, err
	}
	type pair struct{ from, to string }
	links := make([]map[pair]int64, len(bs)-1)
	trans := make([]map[pair]int64, len(bs)-1)
	for i := range links {
		links[i], trans[i] = map[pair]int64{}, map[pair]int64{}
	}
	for _, cs := range f.customers {
		for i := range links {
			a, b := bs[i], bs[i+1]
			if !cs[0].at.Before(b) {
				continue // not yet seen
			}
			links[i][pair{stageAt(cs, a), stageAt(cs, b)}]++
		}
		for _, c := range cs {
			if i, ok := periodOf(bs, c.at); ok {
				trans[i][pair{c.from, c.to}]++
			}
		}
	}
	nodes := map[string]*SankeyNode{}
	node := func(col int, stage string) string {
		id := fmt.Sprintf("%d:%s", col, stage)
		if nodes[id] == nil {
			nodes[id] = &SankeyNode{ID: id, Column: col, At: bs[col], Stage: stage}
		}
		return id
	}
	for i := range links {
		p := FlowPeriod{Start: bs[i], End: bs[i+1], Transitions: []Transition{}}
		for _, k := range sortedPairs(trans[i], func(k pair) (string, string) { return k.from, k.to }) {
			p.Transitions = append(p.Transitions, Transition{From: k.from, To: k.to, Count: trans[i][k]})
			p.Changes += trans[i][k]
		}
		r.Periods = append(r.Periods, p)
		for _, k := range sortedPairs(links[i], func(k pair) (string, string) { return k.from, k.to }) {
			v := links[i][k]
			src, dst := node(i, k.from), node(i+1, k.to)
			r.Sankey.Links = append(r.Sankey.Links, SankeyLink{Source: src, Target: dst, Value: v})
			nodes[src].Count += v // the customers at a boundary are those leaving it
			if i == len(links)-1 {
				nodes[dst].Count += v
			}
		}
	}
	for _, id := range slices.Collect(maps.Keys(nodes)) {
		r.Sankey.Nodes = append(r.Sankey.Nodes, *nodes[id])
	}
	slices.SortFunc(r.Sankey.Nodes, func(a, b SankeyNode) int {
		return cmp.Or(cmp.Compare(a.Column, b.Column), cmp.Compare(a.Stage, b.Stage))
	})
	return r, nil
}

// stageAt is the customer's stage at t: the target of the last change
// before t, else the origin of the first.
func stageAt(cs []change, t time.Time) string {
	s := cs[0].from
	for _, c := range cs {
		if !c.at.Before(t) {
			break
		}
		s = c.to
	}
	return s
}

// periodOf finds the period holding t.
func periodOf(bs []time.Time, t time.Time) (int, bool) {
	if t.Before(bs[0]) || !t.Before(bs[len(bs)-1]) {
		return 0, false
	}
	i, _ := slices.BinarySearchFunc(bs, t, func(b, t time.Time) int {
		if b.After(t) {
			return 1
		}
		return -1
	})
	return i - 1, true
}

func sortedPairs[K comparable](m map[K]int64, parts func(K) (string, string)) []K {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b K) int {
		a1, a2 := parts(a)
		b1, b2 := parts(b)
		return cmp.Or(cmp.Compare(a1, b1), cmp.Compare(a2, b2))
	})
	return keys
}
