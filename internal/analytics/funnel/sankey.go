package funnel

import (
	"cmp"
	"slices"
)

// OtherNode names the Sankey bucket of touchpoints beyond the top at a step.
const OtherNode = "(other)"

// sankey builds the graph of all paths: per step, the top touchpoints by
// volume (ties by name) get a node and the rest share an "other" node.
// Paths from an event start at step 0; paths to an event (alignEnd) end at
// step depth-1, so the anchor is one node either way.
func sankey(paths []PathCount, top, depth int, alignEnd bool) Sankey {
	shift := func(p PathCount) int {
		if alignEnd {
			return depth - len(p.Steps)
		}
		return 0
	}
	vol := map[int]map[string]int{}
	for _, p := range paths {
		for i, name := range p.Steps {
			s := i + shift(p)
			if vol[s] == nil {
				vol[s] = map[string]int{}
			}
			vol[s][name] += p.Count
		}
	}
	g := Sankey{Nodes: []Node{}, Links: []Link{}}
	ids := map[int]map[string]int{} // step -> name -> node id
	for s := range depth {
		if vol[s] == nil {
			continue
		}
		type nv struct {
			name string
			v    int
		}
		var list []nv
		for n, v := range vol[s] {
			list = append(list, nv{n, v})
		}
		slices.SortFunc(list, func(a, b nv) int { return cmp.Or(cmp.Compare(b.v, a.v), cmp.Compare(a.name, b.name)) })
		ids[s] = map[string]int{}
		for i, x := range list {
			name := x.name
			if i >= top {
				name = OtherNode
			}
			id, ok := ids[s][name]
			if !ok {
				id = len(g.Nodes)
				g.Nodes = append(g.Nodes, Node{ID: id, Name: name, Step: s})
				ids[s][name] = id
			}
			ids[s][x.name] = id
		}
	}
	type edge struct{ a, b int }
	weight := map[edge]int{}
	var order []edge
	for _, p := range paths {
		o := shift(p)
		for i := 1; i < len(p.Steps); i++ {
			e := edge{ids[o+i-1][p.Steps[i-1]], ids[o+i][p.Steps[i]]}
			if _, ok := weight[e]; !ok {
				order = append(order, e)
			}
			weight[e] += p.Count
		}
	}
	slices.SortFunc(order, func(x, y edge) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) })
	for _, e := range order {
		g.Links = append(g.Links, Link{Source: e.a, Target: e.b, Value: weight[e]})
	}
	return g
}
