package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

const (
	previewSample     = 1000  // profiles evaluated by default
	previewMaxSample  = 10000 // upper bound of ?sample
	previewMembers    = 20    // member ids returned
	previewPage       = 500   // profiles listed per FindProfiles call
	previewTimelineMx = 1000  // timeline entries read per call
)

// PreviewResult is the answer of POST /v1/segments/preview.
type PreviewResult struct {
	Evaluated     int       `json:"evaluated"`      // profiles evaluated (the sample)
	Matched       int       `json:"matched"`        // of those, members
	TotalProfiles int64     `json:"total_profiles"` // surviving profiles in the store
	EstimatedSize int64     `json:"estimated_size"` // matched / evaluated × total_profiles, rounded
	SampleMembers []string  `json:"sample_members"` // up to 20 member profile ids
	At            time.Time `json:"at"`             // the server clock's now used for evaluation
	// Text and Definition are the definition in its canonical text and
	// JSON forms, whichever form was sent (what a builder shows side by side).
	Text       string          `json:"text"`
	Definition json.RawMessage `json:"definition"`
}

// previewSegment evaluates a definition without saving it on the first
// ?sample profiles in id order (ids are random, so this is a uniform sample).
func (s *Server) previewSegment(w http.ResponseWriter, r *http.Request) error {
	sample, err := intParam(r, "sample", previewSample, previewMaxSample)
	if err != nil {
		return err
	}
	var req segmentRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	def, err := req.parseDefinition()
	if err != nil {
		return err
	}
	x, err := s.checkSegment(r, "(preview)", def)
	if err != nil {
		return err
	}
	ctx := r.Context()
	res := PreviewResult{SampleMembers: []string{}, At: s.d.Clock.Now(), Text: def.Text(), Definition: def.JSON()}
	if res.TotalProfiles, err = s.d.State.CountProfiles(ctx); err != nil {
		return err
	}
	need := needsOf(def, x.lookup)
	after := ""
	for res.Evaluated < sample {
		limit := min(previewPage, sample-res.Evaluated)
		page, err := s.d.State.FindProfiles(ctx, "", nil, after, limit)
		if err != nil {
			return err
		}
		for _, p := range page {
			snap, err := s.snapshot(ctx, p.ID, need, res.At)
			if err != nil {
				return err
			}
			ok, err := segment.Evaluate(def, snap, res.At, x.lookup)
			if errors.Is(err, segment.ErrNotAvailable) {
				return badField("definition", "message and subscription conditions cannot be previewed yet: they become available with journeys")
			}
			if err != nil {
				return err
			}
			res.Evaluated++
			if ok {
				res.Matched++
				if len(res.SampleMembers) < previewMembers {
					res.SampleMembers = append(res.SampleMembers, p.ID)
				}
			}
		}
		if len(page) < limit {
			break
		}
		after = page[len(page)-1].ID
	}
	if res.Evaluated > 0 {
		res.EstimatedSize = (int64(res.Matched)*res.TotalProfiles + int64(res.Evaluated)/2) / int64(res.Evaluated)
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// needs says which parts of a profile a definition reads. Payloads (the
// decoded properties and context) are read only for events named by a node
// with filters or an aggregate; every other event is built from its
// timeline entry alone, which saves reading and decoding most bodies.
type needs struct {
	traits, events bool
	payloads       map[string]bool // event names whose payloads filters read
}

func (n *needs) payload(event string, filtered bool) {
	if !filtered {
		return
	}
	if n.payloads == nil {
		n.payloads = map[string]bool{}
	}
	n.payloads[event] = true
}

// needsOf walks def and the definitions it references.
func needsOf(def *segment.Definition, lookup segment.SegmentLookup) needs {
	var n needs
	seen := map[string]bool{}
	var walk func(*segment.Node)
	walk = func(nd *segment.Node) {
		switch nd.Kind() {
		case segment.KindAnd:
			for _, k := range nd.And {
				walk(k)
			}
		case segment.KindOr:
			for _, k := range nd.Or {
				walk(k)
			}
		case segment.KindNot:
			walk(nd.Not)
		case segment.KindTrait:
			n.traits = true
		case segment.KindPerformed:
			n.events = true
			n.payload(nd.Performed.Event, len(nd.Performed.Where) > 0)
		case segment.KindFirstPerformed, segment.KindLastPerformed:
			e := nd.FirstPerformed
			if e == nil {
				e = nd.LastPerformed
			}
			n.events = true
			n.payload(e.Event, len(e.Where) > 0 || len(e.Has) > 0)
		case segment.KindSequence:
			n.events = true
			for _, st := range nd.Sequence.Steps {
				n.payload(st.Event, len(st.Where) > 0)
			}
		case segment.KindAggregate:
			n.events = true
			n.payload(nd.Aggregate.Event, true)
		case segment.KindChannel:
			n.events = true
		case segment.KindInSegment:
			for _, id := range nd.InSegment.IDs {
				if seen[id] {
					continue
				}
				seen[id] = true
				if d, ok := lookup(id); ok {
					walk(d.Root)
				}
			}
		}
	}
	walk(def.Root)
	return n
}

// snapshot loads what the definition reads of profile id: its traits and
// the events of its timeline (with those of the profiles merged into it)
// that happened by now, with payloads only when filters read them.
func (s *Server) snapshot(ctx context.Context, id string, need needs, now time.Time) (segment.Snapshot, error) {
	snap := segment.Snapshot{ProfileID: id}
	if need.traits {
		ts, err := s.d.State.ProfileTraits(ctx, id)
		if err != nil {
			return snap, err
		}
		if snap.Traits, err = segment.TraitsFrom(ts); err != nil {
			return snap, err
		}
	}
	if !need.events {
		return snap, nil
	}
	merged, err := s.d.State.MergedFrom(ctx, id)
	if err != nil {
		return snap, err
	}
	q := store.TimelineQuery{ProfileIDs: append([]string{id}, merged...), Until: now.Add(time.Nanosecond), Limit: previewTimelineMx}
	var entries []store.TimelineEntry
	for {
		page, err := s.d.State.Timeline(ctx, q)
		if err != nil {
			return snap, err
		}
		entries = append(entries, page...)
		if len(page) < q.Limit {
			break
		}
		last := page[len(page)-1]
		q.CursorTime, q.CursorSeq = last.Timestamp, last.Seq
	}
	var seqs []int64
	for _, e := range entries {
		if need.payloads[e.Event] {
			seqs = append(seqs, e.Seq)
		}
	}
	var bodies map[int64]*event.Event
	if len(seqs) > 0 {
		evs, err := s.d.Log.Get(ctx, seqs)
		if err != nil {
			return snap, err
		}
		bodies = make(map[int64]*event.Event, len(evs))
		for _, e := range evs {
			bodies[e.Seq] = e
		}
	}
	// Oldest first, (timestamp, seq) ascending, so that Evaluate's stable
	// order breaks timestamp ties by log order.
	snap.Events = make([]segment.Event, 0, len(entries))
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if !need.payloads[e.Event] {
			snap.Events = append(snap.Events, segment.Event{Type: e.Type, Name: e.Event, Timestamp: e.Timestamp, Channel: e.Channel, Source: e.SourceID})
			continue
		}
		body, ok := bodies[e.Seq]
		if !ok {
			continue // erased from the log meanwhile
		}
		se, err := segment.EventFrom(body)
		if err != nil {
			return snap, err
		}
		snap.Events = append(snap.Events, se)
	}
	return snap, nil
}
