package funnel

import (
	"encoding/json"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/segment"
)

// DropoffDefinition is the live segment of the customers who dropped at
// step k (1-based, k ≥ 2) of a strict funnel: they did steps 1…k−1 in order
// within the window, and no attempt did steps 1…k within it —
//
//	sequence(1…k−1) within W and not sequence(1…k) within W
//
// (step 1 alone is "performed step 1"),
// which is exactly the funnel's "reached k−1, not k" (its best attempt),
// evaluated over each customer's whole history and kept current as they
// act: a customer who completes step k later leaves the segment. The funnel's
// since/until bound entries of the analysis only; a segment has no absolute
// bounds. Funnels in any order have no sequence equivalent.
func (s *FunnelSpec) DropoffDefinition(k int) (*segment.Definition, error) {
	if s.Order != Strict && s.Order != "" {
		return nil, fmt.Errorf("%w: only a strict-order funnel's drop-off can be saved as a segment (a sequence)", ErrInvalid)
	}
	if k < 2 || k > len(s.Steps) {
		return nil, fmt.Errorf("%w: drop-off step %d must be between 2 and %d (the customers who did the step before it but not this one)", ErrInvalid, k, len(s.Steps))
	}
	seq := func(n int) *segment.Node {
		if n == 1 { // a sequence has two steps or more
			return &segment.Node{Performed: &segment.PerformedCond{Event: s.Steps[0].Event, Where: s.Steps[0].Where}}
		}
		c := &segment.SequenceCond{Within: segment.Duration(s.Window)}
		for _, st := range s.Steps[:n] {
			c.Steps = append(c.Steps, segment.Step{Event: st.Event, Where: st.Where})
		}
		return &segment.Node{Sequence: c}
	}
	root := &segment.Node{And: []*segment.Node{seq(k - 1), {Not: seq(k)}}}
	raw, err := json.Marshal(root)
	if err != nil {
		return nil, fmt.Errorf("encode drop-off segment: %w", err)
	}
	def, err := segment.ParseJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("drop-off segment of step %d: %w", k, err)
	}
	return def, nil
}
