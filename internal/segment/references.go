package segment

import (
	"strconv"
	"strings"
)

// Reference is one in_segment reference: the node path and the segment id.
type Reference struct {
	Path string // e.g. conditions.and[1].in_segment.ids[0]
	ID   string
}

// References lists every in_segment reference of def in document order.
func (d *Definition) References() []Reference {
	var out []Reference
	collectRefs(d.Root, rootPath, &out)
	return out
}

func collectRefs(n *Node, path string, out *[]Reference) {
	switch n.Kind() {
	case KindAnd:
		for i, k := range n.And {
			collectRefs(k, path+".and["+strconv.Itoa(i)+"]", out)
		}
	case KindOr:
		for i, k := range n.Or {
			collectRefs(k, path+".or["+strconv.Itoa(i)+"]", out)
		}
	case KindNot:
		collectRefs(n.Not, path+".not", out)
	case KindInSegment:
		for i, id := range n.InSegment.IDs {
			*out = append(*out, Reference{Path: path + ".in_segment.ids[" + strconv.Itoa(i) + "]", ID: id})
		}
	}
}

// CheckReferences is the save-time check of def, to be saved as segment
// id: every in_segment reference must name a segment that lookup knows
// (error matches ErrUnknownSegment), and no chain of references may lead
// back to a segment on the chain (error matches ErrCycle, naming the chain
// "a → b → a"). Segments already saved are read through lookup; lookup is
// not consulted for id itself, so an edit is checked against its new form.
func CheckReferences(id string, def *Definition, lookup SegmentLookup) error {
	onPath := map[string]bool{id: true}
	done := map[string]bool{}
	for _, r := range def.References() {
		chain := []string{id, r.ID}
		if r.ID == id {
			return cycleErr(r.Path, chain)
		}
		other, ok := lookup(r.ID)
		if !ok || other == nil || other.Root == nil {
			return &ValidationError{Path: r.Path, Msg: "unknown segment " + strconv.Quote(r.ID), Hint: "create that segment first or fix the id", cause: ErrUnknownSegment}
		}
		if cyc := findCycle(r.ID, other, lookup, onPath, done, chain); cyc != nil {
			return cycleErr(r.Path, cyc)
		}
	}
	return nil
}

// findCycle walks references depth-first from seg; it returns the chain
// that reaches a segment already on the path, or nil.
func findCycle(seg string, def *Definition, lookup SegmentLookup, onPath, done map[string]bool, chain []string) []string {
	if done[seg] {
		return nil
	}
	if onPath[seg] {
		return chain
	}
	onPath[seg] = true
	defer delete(onPath, seg)
	for _, r := range def.References() {
		next := append(chain[:len(chain):len(chain)], r.ID)
		if onPath[r.ID] {
			return next
		}
		other, ok := lookup(r.ID)
		if !ok || other == nil || other.Root == nil {
			continue // a dangling reference deeper down is reported when that segment is saved
		}
		if cyc := findCycle(r.ID, other, lookup, onPath, done, next); cyc != nil {
			return cyc
		}
	}
	done[seg] = true
	return nil
}

func cycleErr(path string, chain []string) error {
	return &ValidationError{
		Path:  path,
		Msg:   "segment references form a cycle: " + strings.Join(chain, " → "),
		Hint:  "a segment cannot depend on itself through in_segment; remove one reference of the cycle",
		cause: ErrCycle,
	}
}
