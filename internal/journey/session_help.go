package journey

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Effects returns what the session decided, in a deterministic order.
func (s *Session) Effects() (*Effects, error) {
	fx := s.fx
	for _, in := range s.insts {
		if !in.dirty {
			continue
		}
		row, err := in.final()
		if err != nil {
			return nil, err
		}
		fx.Instances = append(fx.Instances, row)
	}
	slices.SortFunc(fx.Instances, func(a, b store.JourneyInstance) int { return cmp.Compare(a.ID, b.ID) })
	for _, id := range slices.Sorted(maps.Keys(s.timers)) {
		t := s.timers[id]
		if t.FireAt.IsZero() {
			fx.TimerDeletes = append(fx.TimerDeletes, t)
		} else {
			fx.Timers = append(fx.Timers, t)
		}
	}
	return &fx, nil
}

// emit adds a timeline event of the instance.
func (s *Session) emit(in *inst, name string, extra map[string]any) {
	in.st.Steps++
	props := map[string]any{
		"profile_id": s.prof.ID, "journey_id": in.row.JourneyID, "journey_version": in.row.Version,
		"instance_id": in.row.ID, "node_id": in.row.Node,
	}
	if len(in.st.Paths) > 0 {
		props["paths"] = maps.Clone(in.st.Paths)
	}
	if in.st.Holdout {
		props["holdout"] = true
	}
	if st := s.stage(); st != "" {
		props["lifecycle_stage"] = st
	}
	for k, v := range extra {
		if v != nil && v != "" {
			props[k] = v
		}
	}
	s.fx.Events = append(s.fx.Events, Emitted{Name: name, MessageID: eventID(in.row.ID, in.st.Steps, name, s.now), At: s.now, Props: props})
}

// stage reads the customer's lifecycle stage from the snapshot when one is
// loaded, else from the traits alone (no event history).
func (s *Session) stage() string {
	var traits map[string]any
	switch {
	case s.snap != nil:
		traits = s.snap.Traits
	case s.prof.Traits != nil:
		t, err := s.prof.Traits()
		if err != nil {
			return ""
		}
		traits = t
	default:
		snap, err := s.snapshot()
		if err != nil {
			return ""
		}
		traits = snap.Traits
	}
	st, _ := traits["lifecycle_stage"].(string)
	return st
}

func (s *Session) snapshot() (*segment.Snapshot, error) {
	if s.snap != nil {
		return s.snap, nil
	}
	if s.prof.Snapshot == nil {
		return &segment.Snapshot{ProfileID: s.prof.ID}, nil
	}
	snap, err := s.prof.Snapshot()
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", s.prof.ID, err)
	}
	s.snap = &snap
	return s.snap, nil
}

func (s *Session) eval(def *segment.Definition) (bool, error) {
	snap, err := s.snapshot()
	if err != nil {
		return false, err
	}
	ok, err := segment.Evaluate(def, *snap, s.now, s.prof.Segments)
	if err != nil {
		return false, fmt.Errorf("evaluate condition: %w", err)
	}
	return ok, nil
}

// alreadyTrue tells whether a wait branch holds on arrival: a segment the
// customer is in, or a matching event since the instance's entry event.
func (s *Session) alreadyTrue(in *inst, b *WaitBranch) (bool, error) {
	switch {
	case b.Segment != "":
		return s.prof.InSegment != nil && s.prof.InSegment(b.Segment), nil
	case b.Event != nil:
		snap, err := s.snapshot()
		if err != nil {
			return false, err
		}
		for i := range snap.Events {
			e := &snap.Events[i]
			if !e.Timestamp.After(in.st.EntryTime) || e.Timestamp.After(s.now) {
				continue
			}
			if s.matches(b.Event, &Event{Event: *e}, in) {
				return true, nil
			}
		}
	}
	return false, nil
}

// delayUntil computes when a delay node ends.
func (s *Session) delayUntil(d *Delay) (time.Time, error) {
	switch {
	case d.Duration != "":
		du, _ := segment.ParseDuration(d.Duration) //nolint:errcheck // validated at publish
		return s.now.Add(time.Duration(du)), nil
	case d.Until != nil:
		h, m, _ := policy.ParseHHMM(d.Until.Time) //nolint:errcheck // validated at publish
		return policy.NextLocalTime(s.now, s.zone(), h, m, policy.Weekdays(d.Until.Days)), nil
	default:
		snap, err := s.snapshot()
		if err != nil {
			return time.Time{}, err
		}
		v, ok := lookupPath(snap.Traits, d.Trait.Path)
		if !ok {
			return s.now, nil // no date: proceed at once (documented)
		}
		t, ok := asTime(v)
		if !ok {
			return s.now, nil
		}
		off, _ := parseOffset(d.Trait.Offset) //nolint:errcheck // validated at publish
		return t.Add(off), nil
	}
}

func (s *Session) zone() *time.Location {
	if s.prof.Zone != nil {
		if z := s.prof.Zone(); z != nil {
			return z
		}
	}
	return time.UTC
}

func setPath(m map[string]string, node, path string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[node] = path
	return m
}

func itoa(i int) string { return strconv.Itoa(i) }

// pick chooses a weighted path by a bucket in [0, 10000).
func pick(b int, paths []WeightedPath, control *WeightedPath) *WeightedPath {
	acc := 0.0
	for i := range paths {
		acc += paths[i].Percent * 100
		if float64(b) < acc {
			return &paths[i]
		}
	}
	if control != nil {
		return control
	}
	return &paths[len(paths)-1]
}

func pathName(p *WeightedPath, paths []WeightedPath) string {
	if p.ID != "" {
		return p.ID
	}
	for i := range paths {
		if &paths[i] == p {
			return "path " + itoa(i)
		}
	}
	return ""
}

// lookupPath reads a dotted path from nested maps (or a flat dotted key).
func lookupPath(m map[string]any, path string) (any, bool) {
	if v, ok := m[path]; ok {
		return v, v != nil
	}
	cur := any(m)
	for part := range strings.SplitSeq(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = mm[part]; !ok {
			return nil, false
		}
	}
	return cur, cur != nil
}

// asTime reads a trait as a time: RFC 3339, a date (YYYY-MM-DD), or Unix seconds/milliseconds.
func asTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case string:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
			if t, err := time.Parse(layout, x); err == nil {
				return t, true
			}
		}
	case float64:
		if x > 1e11 {
			return time.UnixMilli(int64(x)).UTC(), true
		}
		return time.Unix(int64(x), 0).UTC(), true
	}
	return time.Time{}, false
}
