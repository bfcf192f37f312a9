package segment

// eachNode calls fn with every node of defs, depth first, and of the
// segments they reference through in_segment (each referenced segment once;
// unknown ids and a nil lookup are skipped).
func eachNode(defs []*Definition, lookup SegmentLookup, fn func(*Node)) {
	seen := map[string]bool{}
	var walk func(*Node)
	walk = func(n *Node) {
		if n == nil {
			return
		}
		fn(n)
		switch n.Kind() {
		case KindAnd:
			for _, c := range n.And {
				walk(c)
			}
		case KindOr:
			for _, c := range n.Or {
				walk(c)
			}
		case KindNot:
			walk(n.Not)
		case KindInSegment:
			for _, id := range n.InSegment.IDs {
				if seen[id] || lookup == nil {
					continue
				}
				seen[id] = true
				if d, ok := lookup(id); ok && d != nil {
					walk(d.Root)
				}
			}
		}
	}
	for _, d := range defs {
		if d != nil {
			walk(d.Root)
		}
	}
}
