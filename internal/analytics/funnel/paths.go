package funnel

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Path levels.
const (
	LevelEvent   = "event"
	LevelChannel = "channel"
)

// Limits of a paths spec.
const (
	MaxDepth = 10
	MaxTop   = 100
)

// PathsSpec is a validated paths request: exactly one of From and To.
type PathsSpec struct {
	From, To string
	Depth    int // touchpoints per path, the anchor included; default 5
	Level    string
	Top      int // paths listed and touchpoints per Sankey step; default 10
	Since    time.Time
	Until    time.Time
}

// Validate checks the spec and fills defaults.
func (s *PathsSpec) Validate() error {
	if (s.From == "") == (s.To == "") {
		return fmt.Errorf("%w: give exactly one of from and to", ErrInvalid)
	}
	if s.Depth == 0 {
		s.Depth = 5
	}
	if s.Top == 0 {
		s.Top = 10
	}
	if s.Depth < 2 || s.Depth > MaxDepth {
		return fmt.Errorf("%w: depth %d must be between 2 and %d", ErrInvalid, s.Depth, MaxDepth)
	}
	if s.Top < 1 || s.Top > MaxTop {
		return fmt.Errorf("%w: top %d must be between 1 and %d", ErrInvalid, s.Top, MaxTop)
	}
	switch s.Level {
	case "":
		s.Level = LevelEvent
	case LevelEvent, LevelChannel:
	default:
		return fmt.Errorf("%w: level %q must be event or channel", ErrInvalid, s.Level)
	}
	return checkRange(s.Since, s.Until)
}

// Need keeps the anchor event even from excluded sources.
func (s *PathsSpec) Need() Need { return Need{Keep: []string{s.From + s.To}} }

// PathCount is one distinct path and how many profiles took it.
type PathCount struct {
	Steps []string `json:"steps"`
	Count int      `json:"count"`
}

// Node is a Sankey node: a touchpoint at a step (0-based; paths to an
// event end at step Depth-1).
type Node struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	Step int    `json:"step"`
}

// Link is a Sankey link between node ids, weighted by profiles.
type Link struct {
	Source int `json:"source"`
	Target int `json:"target"`
	Value  int `json:"value"`
}

// Sankey is a graph of touchpoint transitions.
type Sankey struct {
	Nodes []Node `json:"nodes"`
	Links []Link `json:"links"`
}

// PathsResult lists the top paths and the Sankey graph of all of them.
type PathsResult struct {
	Profiles int         `json:"profiles"` // profiles with the anchor event in range
	Paths    []PathCount `json:"paths"`
	Other    int         `json:"other"` // profiles on paths beyond the top
	Sankey   Sankey      `json:"sankey"`
}

// Paths accumulates paths from or to an event.
type Paths struct {
	spec     PathsSpec
	counts   map[string]int // steps joined by \x00
	anyEvent bool
	seen     bool
}

// NewPaths validates spec and returns an empty accumulator.
func NewPaths(spec PathsSpec) (*Paths, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	return &Paths{spec: spec, counts: map[string]int{}}, nil
}

// Add feeds one profile's history.
func (p *Paths) Add(h *History) {
	if len(h.Events) > 0 {
		p.anyEvent = true
	}
	anchor := p.spec.From + p.spec.To
	at := -1
	for i := range h.Events {
		e := &h.Events[i]
		if e.Name != anchor {
			continue
		}
		p.seen = true
		if inRange(e.Timestamp, p.spec.Since, p.spec.Until) {
			at = i
			break
		}
	}
	if at < 0 {
		return
	}
	label := func(i int) string {
		if p.spec.Level == LevelChannel {
			return orNone(h.Events[i].Channel)
		}
		return h.Events[i].Name
	}
	steps := []string{label(at)}
	step := 1
	if p.spec.To != "" {
		step = -1
	}
	for i := at + step; i >= 0 && i < len(h.Events) && len(steps) < p.spec.Depth; i += step {
		if h.Events[i].Name == "" {
			continue // identify, group, alias: not touchpoints
		}
		if l := label(i); l != steps[len(steps)-1] {
			steps = append(steps, l)
		}
	}
	if p.spec.To != "" {
		slices.Reverse(steps)
	}
	p.counts[strings.Join(steps, "\x00")]++
}

// Result returns the paths, or ErrUnknown when events exist but none is
// the anchor.
func (p *Paths) Result() (PathsResult, error) {
	if p.anyEvent && !p.seen {
		return PathsResult{}, fmt.Errorf("%w: no stored event is named %q", ErrUnknown, p.spec.From+p.spec.To)
	}
	all := make([]PathCount, 0, len(p.counts))
	total := 0
	for k, c := range p.counts {
		all = append(all, PathCount{Steps: strings.Split(k, "\x00"), Count: c})
		total += c
	}
	slices.SortFunc(all, func(a, b PathCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), slices.Compare(a.Steps, b.Steps))
	})
	r := PathsResult{Profiles: total, Paths: all[:min(len(all), p.spec.Top)], Sankey: sankey(all, p.spec.Top, p.spec.Depth, p.spec.To != "")}
	for _, pc := range all[len(r.Paths):] {
		r.Other += pc.Count
	}
	return r, nil
}
