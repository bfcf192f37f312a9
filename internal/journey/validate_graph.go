package journey

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
)

func (v *validator) entry() {
	e := &v.d.Entry
	forms := 0
	if e.Event != nil {
		forms++
		v.match("entry.event", "", e.Event, true)
	}
	if e.Segment != nil {
		forms++
		v.segmentRef("entry.segment.id", "", e.Segment.ID)
		if e.Segment.On != "" && e.Segment.On != "enter" && e.Segment.On != "exit" {
			v.ps.add("entry.segment.on", "", fmt.Sprintf("unknown %q", e.Segment.On), "use enter or exit")
		}
	}
	if s := e.Schedule; s != nil {
		forms++
		v.segmentRef("entry.schedule.segment", "", s.Segment)
		if _, err := time.Parse(time.RFC3339, s.At); err != nil {
			v.ps.add("entry.schedule.at", "", fmt.Sprintf("%q is not an RFC 3339 time", s.At), "e.g. 2026-12-01T09:00:00Z")
		}
		v.duration("entry.schedule.every", "", s.Every, false)
		if s.LocalTime != "" {
			v.localTime("entry.schedule.local_time", "", s.LocalTime, nil)
		}
	}
	if e.API != nil {
		forms++
	}
	if forms != 1 {
		v.ps.add("entry", "", "an entry needs exactly one of event, segment, schedule, api", "")
	}
	if e.Next == "" {
		v.ps.add("entry.next", "", "missing", "name the first node")
	}
}

// graph checks edges, reachability and zero-delay loops.
func (v *validator) graph() {
	if v.d.Entry.Next != "" {
		if _, ok := v.byID[v.d.Entry.Next]; !ok {
			v.ps.add("entry.next", "", fmt.Sprintf("no node %q", v.d.Entry.Next), "point to an existing node id")
		}
	}
	for i := range v.d.Nodes {
		n := &v.d.Nodes[i]
		if n.Kind() == "" {
			continue
		}
		for _, e := range n.edges() {
			path := "nodes[" + strconv.Itoa(i) + "]." + e.path
			if e.to == "" {
				if e.path != "next" {
					v.ps.add(path, n.ID, "missing target", "name the node this path leads to")
				}
				continue // a missing next ends the journey
			}
			if _, ok := v.byID[e.to]; !ok {
				v.ps.add(path, n.ID, fmt.Sprintf("no node %q", e.to), "point to an existing node id")
			}
		}
	}
	// Reachability from the entry.
	seen := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		n, ok := v.byID[id]
		if !ok || seen[id] {
			return
		}
		seen[id] = true
		for _, e := range n.edges() {
			walk(e.to)
		}
	}
	walk(v.d.Entry.Next)
	for i := range v.d.Nodes {
		if id := v.d.Nodes[i].ID; v.byID[id] == &v.d.Nodes[i] && !seen[id] {
			v.ps.add("nodes["+strconv.Itoa(i)+"]", id, "unreachable from the entry", "connect it or remove it")
		}
	}
	// Zero-delay loops: a cycle through nodes none of which holds.
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var visit func(id string) bool
	visit = func(id string) bool {
		n, ok := v.byID[id]
		if !ok || n.holds() {
			return false
		}
		switch color[id] {
		case grey:
			i := len(stack) - 1
			for i > 0 && stack[i] != id {
				i--
			}
			loop := append(append([]string{}, stack[i:]...), id)
			v.ps.add("nodes", id, "loop without a delay or wait: "+strings.Join(loop, " → "), "put a delay or wait on the loop")
			return true
		case black:
			return false
		}
		color[id] = grey
		stack = append(stack, id)
		for _, e := range n.edges() {
			if visit(e.to) {
				return true
			}
		}
		stack = stack[:len(stack)-1]
		color[id] = black
		return false
	}
	for i := range v.d.Nodes {
		if visit(v.d.Nodes[i].ID) {
			break
		}
	}
}

func (v *validator) goalsAndExits() {
	ids := map[string]bool{}
	for i := range v.d.Goals {
		g := &v.d.Goals[i]
		path := "goals[" + strconv.Itoa(i) + "]"
		if g.ID == "" || ids[g.ID] {
			v.ps.add(path+".id", "", "missing or duplicate goal id", "give each goal its own id")
		}
		ids[g.ID] = true
		v.match(path+".event", "", &g.Event, false)
		v.duration(path+".within", "", g.Within, false)
	}
	for i := range v.d.Exit {
		x := &v.d.Exit[i]
		path := "exit_criteria[" + strconv.Itoa(i) + "]"
		if (x.Event == nil) == (x.Segment == nil) {
			v.ps.add(path, "", "an exit criterion needs exactly one of event, segment", "")
			continue
		}
		if x.Event != nil {
			v.match(path+".event", "", x.Event, false)
		} else {
			v.segmentRef(path+".segment.id", "", x.Segment.ID)
			if x.Segment.On != "" && x.Segment.On != "enter" && x.Segment.On != "exit" {
				v.ps.add(path+".segment.on", "", fmt.Sprintf("unknown %q", x.Segment.On), "use enter or exit")
			}
		}
	}
}

// parseOffset parses a signed duration in the short form (-1d, 2h).
func parseOffset(s string) (time.Duration, error) {
	neg := strings.HasPrefix(s, "-")
	d, err := segment.ParseDuration(strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+"))
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration", s)
	}
	if neg {
		return -time.Duration(d), nil
	}
	return time.Duration(d), nil
}
