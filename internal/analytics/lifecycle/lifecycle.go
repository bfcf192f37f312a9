// Package lifecycle replays a lifecycle stage model over a customer's
// stored events: the stage the model gives the customer at any moment of
// their history. The processor records stage changes as they happen
// (`Stage Changed`), at processing time, so history that arrived in bulk (an
// import, the demo load, a backfill) carries no stage of its own; analyses
// that need the stage at the time of an event (the journey map, a funnel
// broken down by stage at entry) replay it instead, with the batch
// evaluator and the current model.
package lifecycle

import (
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
)

// Model is a stage model to replay: the stages most specific first (a
// customer is in the first whose definition holds), and the stage of a
// customer in none.
type Model struct {
	Stages  []Stage
	Default string
	// Lookup resolves in_segment references of the definitions.
	Lookup segment.SegmentLookup
}

// Stage is one stage and its segment's definition.
type Stage struct {
	Name string
	Def  *segment.Definition
}

// Columns orders the stages from the earliest of a lifecycle to the
// latest: a model lists them most specific first, which for a lifecycle is
// the latest first, so the columns are the default stage and then the
// model's stages the other way round.
func (m *Model) Columns() []string {
	cols := []string{m.Default}
	for _, st := range slices.Backward(m.Stages) {
		if !slices.Contains(cols, st.Name) {
			cols = append(cols, st.Name)
		}
	}
	return cols
}

// Needs is what replaying the model reads of a history.
func (m *Model) Needs() segment.Needs {
	return segment.NeedsOf(m.defs(), m.Lookup)
}

func (m *Model) defs() []*segment.Definition {
	defs := make([]*segment.Definition, 0, len(m.Stages))
	for _, st := range m.Stages {
		defs = append(defs, st.Def)
	}
	return defs
}

// Replay evaluates a model over one history after another. It is not safe
// for concurrent use: give each goroutine its own.
type Replay struct {
	m       *Model
	cols    map[string]int
	prio    []int // the column of each model stage, in model order
	def     int   // the column of the default stage
	needs   segment.Needs
	names   map[string]bool
	horizon segment.Horizon

	id    string
	rel   []segment.Event // the history's events the model reads, in time order
	relNS []int64         // their times in Unix nanoseconds

	// The last evaluation: the stage over the first cacheN relevant events
	// holds from cacheAt until cacheUntil (0: for ever).
	cacheN              int
	cacheAt, cacheUntil int64
	cacheStage          int
	cached              bool
}

// NewReplay prepares a replay of m.
func NewReplay(m *Model) *Replay {
	r := &Replay{m: m, cols: map[string]int{}, needs: m.Needs(), names: map[string]bool{},
		horizon: segment.HorizonOf(m.defs(), m.Lookup)}
	for i, c := range m.Columns() {
		r.cols[c] = i
	}
	r.def = r.cols[m.Default]
	for _, st := range m.Stages {
		r.prio = append(r.prio, r.cols[st.Name])
	}
	for _, n := range r.needs.Events {
		r.names[n] = true
	}
	return r
}

// Reset starts a history: its events in time order. Events of the source
// internal (Cairn's own) count when the model names them, without channel
// or source, as the live engine sees them.
func (r *Replay) Reset(id string, events []segment.Event, internal string) {
	r.id, r.rel, r.relNS, r.cached = id, r.rel[:0], r.relNS[:0], false
	for i := range events {
		if e := &events[i]; r.Reads(e, internal) {
			r.rel = append(r.rel, *e)
			if internal != "" && e.Source == internal {
				r.rel[len(r.rel)-1].Channel, r.rel[len(r.rel)-1].Source = "", ""
			}
			r.relNS = append(r.relNS, e.Timestamp.UnixNano())
		}
	}
}

// Reads tells whether the model reads an event: its name is tested, or a
// channel condition reads every customer event (not Cairn's own, of the
// source internal, which are never touchpoints of a channel).
func (r *Replay) Reads(e *segment.Event, internal string) bool {
	return r.names[e.Name] || (r.needs.AnyEvent && (internal == "" || e.Source != internal))
}

// Count is how many events of the history the model reads.
func (r *Replay) Count() int { return len(r.rel) }

// TimeOf is the time of the i-th event the model reads.
func (r *Replay) TimeOf(i int) time.Time { return r.rel[i].Timestamp }

// Before is the stage (column) over the events strictly before t, at t.
func (r *Replay) Before(t time.Time) int {
	ns := t.UnixNano()
	n, _ := slices.BinarySearch(r.relNS, ns) // the first at or after t
	return r.Over(n, t)
}

// Over is the stage (column) over the first n relevant events, at t.
// Successive calls in increasing t reuse the last evaluation while no
// relevant event is added and t stays before its horizon.
func (r *Replay) Over(n int, t time.Time) int {
	ns := t.UnixNano()
	if r.cached && n == r.cacheN && ns >= r.cacheAt && (r.cacheUntil == 0 || ns < r.cacheUntil) {
		return r.cacheStage
	}
	snap := segment.Snapshot{ProfileID: r.id, Events: r.rel[:n]}
	stage := r.def
	for i, st := range r.m.Stages {
		if ok, err := segment.EvaluateSorted(st.Def, snap, t, r.m.Lookup); err == nil && ok {
			stage = r.prio[i]
			break
		}
	}
	until, ok := r.horizon.NextAfter(r.relNS[:n], ns)
	r.cached, r.cacheN, r.cacheAt, r.cacheUntil, r.cacheStage = ok, n, ns, until, stage
	return stage
}
