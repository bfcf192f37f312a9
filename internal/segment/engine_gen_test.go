package segment

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// defGen generates random segment definitions in the text form from the
// grammar, over a small vocabulary shared with the event generator: event
// names A–D, properties n (0–4), k ("x"/"y"), due (a time), context
// campaign, channels web/store; traits plan, score, d (a time).
type defGen struct {
	r    *rand.Rand
	refs []string // segments the next definition may reference (no cycles)
}

var (
	genEvents = []string{"A", "B", "C", "D"}
	genDurs   = []string{"6h", "1d", "2d", "3d", "5d"}
)

func (g *defGen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *defGen) node(depth int) string {
	if depth < 3 {
		switch x := g.r.IntN(100); {
		case x < 15:
			return "(" + g.node(depth+1) + ") and (" + g.node(depth+1) + ")"
		case x < 27:
			return "(" + g.node(depth+1) + ") or (" + g.node(depth+1) + ")"
		case x < 35:
			return "not (" + g.node(depth+1) + ")"
		}
	}
	return g.leaf()
}

func (g *defGen) leaf() string {
	x := g.r.IntN(100)
	switch {
	case x < 28:
		return g.performed()
	case x < 40:
		return g.sequence()
	case x < 52:
		return g.aggregate()
	case x < 60:
		kind := g.pick([]string{"first_performed", "last_performed"})
		s := fmt.Sprintf("%s %q%s", kind, g.pick(genEvents), g.where("where"))
		if g.r.IntN(2) == 0 {
			s += g.where("has")
		}
		switch g.r.IntN(4) {
		case 0, 1:
			s += " time " + g.pick([]string{"within_last", "before_last"}) + " " + g.pick(genDurs)
		case 2: // an absolute bound inside the generated streams' span
			at := t0.Add(time.Duration(g.r.IntN(10*24)) * time.Hour).Format(time.RFC3339)
			s += fmt.Sprintf(" time %s %q", g.pick([]string{"after", "before"}), at)
		}
		return s
	case x < 72:
		return g.trait()
	case x < 78:
		return "channel" + g.pick([]string{"", ` channels ["store"]`, ` sources ["src_web"]`}) + g.window()
	case x < 92 && len(g.refs) > 0:
		n := 1 + g.r.IntN(min(2, len(g.refs)))
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("%q", g.pick(g.refs))
		}
		return "in_segment " + g.pick([]string{"any", "all", "none"}) + " [" + strings.Join(ids, ", ") + "]"
	case x < 96:
		return fmt.Sprintf("random_bucket %d salt %q", 10+g.r.IntN(80), g.pick([]string{"a", "b"}))
	}
	return g.performed()
}

func (g *defGen) performed() string {
	s := fmt.Sprintf("performed %q%s", g.pick(genEvents), g.where("where"))
	switch g.r.IntN(6) {
	case 0:
		s += " count >= 2"
	case 1:
		s += " count = 0"
	case 2:
		s += " count < 2"
	}
	return s + g.window()
}

func (g *defGen) sequence() string {
	steps := 2 + g.r.IntN(2)
	parts := make([]string, steps)
	for i := range parts {
		neg := ""
		if i > 0 && g.r.IntN(3) == 0 {
			neg = "not "
		}
		parts[i] = fmt.Sprintf("%s%q%s", neg, g.pick(genEvents), g.where("where"))
	}
	// a sequence needs a second positive step or a trailing negation to be a sequence at all;
	// the parser accepts any step list whose first step is positive
	s := "sequence " + strings.Join(parts, " then ")
	if g.r.IntN(5) > 0 {
		s += " within " + g.pick(genDurs)
	}
	return s
}

func (g *defGen) aggregate() string {
	tests := []string{
		"count of %q%s%s >= 2", "sum n of %q%s%s >= 5", "avg n of %q%s%s > 2", "min n of %q%s%s < 2",
		"max n of %q%s%s >= 3", "distinct_count k of %q%s%s >= 2", "most_frequent k of %q%s%s = \"x\"",
		"first k of %q%s%s = \"y\"", "last n of %q%s%s >= 2", "count of %q%s%s = 0",
		"max n of %q%s%s <= 1", "sum n of %q%s%s < 4", "min n of %q%s%s >= 2",
	}
	return "aggregate " + fmt.Sprintf(g.pick(tests), g.pick(genEvents), g.where("where"), g.window())
}

func (g *defGen) trait() string {
	return "trait " + g.pick([]string{
		`plan = "pro"`, `plan != "free"`, `plan exists`, `score > 2`, `score between 1 and 3`,
		"d within_last 2d", "d within_next 1d", "d before_last 3d", "d after_next 12h",
	})
}

func (g *defGen) where(keyword string) string {
	if g.r.IntN(3) > 0 {
		return ""
	}
	return " " + keyword + " " + g.pick([]string{
		"n > 2", `k = "x"`, "n between 1 and 3", `context.campaign = "c1"`, "due within_next 2d", "due before_last 1d",
	})
}

func (g *defGen) window() string {
	switch g.r.IntN(6) {
	case 0, 1:
		return " within " + g.pick(genDurs)
	case 2:
		return " from 3d ago to " + g.pick([]string{"6h", "1d", "2d"}) + " ago"
	case 3:
		return fmt.Sprintf(" after %q", t0.Add(time.Duration(g.r.IntN(10))*day).Format(time.RFC3339))
	case 4:
		return fmt.Sprintf(" before %q", t0.Add(time.Duration(2+g.r.IntN(10))*day).Format(time.RFC3339))
	}
	return ""
}

// streamItem is one arrival: an event, or a trait update (changed paths).
type streamItem struct {
	profile string
	arrival time.Time
	event   *Event
	traits  map[string]any // nil value: remove
}

// genStream returns arrivals for profiles in arrival order, from t0 on.
// Event time is the arrival (most events), up to 3 days earlier (late
// events), or up to a day later (future-dated events).
func genStream(r *rand.Rand, profiles []string, n int) []streamItem {
	out := make([]streamItem, 0, n)
	at := t0
	for range n {
		if r.IntN(5) > 0 { // else: same arrival instant as the previous item
			at = at.Add(time.Duration(r.Int64N(int64(10 * time.Hour))))
		}
		it := streamItem{profile: profiles[r.IntN(len(profiles))], arrival: at}
		if r.IntN(6) == 0 {
			it.traits = genTraits(r, at)
			out = append(out, it)
			continue
		}
		ts := at
		switch x := r.IntN(20); {
		case x < 4:
			ts = at.Add(-time.Duration(r.Int64N(int64(3 * day))))
		case x < 6:
			ts = at.Add(time.Duration(r.Int64N(int64(day))))
		}
		e := ev(genEvents[r.IntN(len(genEvents))], ts, map[string]any{
			"n":   float64(r.IntN(5)),
			"k":   []string{"x", "y"}[r.IntN(2)],
			"due": ts.Add(time.Duration(r.Int64N(int64(4*day))) - day).Format(time.RFC3339Nano),
		})
		if r.IntN(3) == 0 {
			e.Channel, e.Source = "store", "src_store"
		}
		if r.IntN(3) == 0 {
			e.Context = map[string]any{"campaign": []string{"c1", "c2"}[r.IntN(2)]}
		}
		it.event = &e
		out = append(out, it)
	}
	return out
}

func genTraits(r *rand.Rand, at time.Time) map[string]any {
	t := map[string]any{}
	if r.IntN(2) == 0 {
		t["plan"] = []any{"pro", "free", nil}[r.IntN(3)]
	}
	if r.IntN(2) == 0 {
		t["score"] = float64(r.IntN(5))
	}
	if r.IntN(2) == 0 {
		t["d"] = at.Add(time.Duration(r.Int64N(int64(6*day))) - 3*day).Format(time.RFC3339)
	}
	return t
}
