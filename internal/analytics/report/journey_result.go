package report

import (
	"cmp"
	"maps"
	"slices"

	"github.com/cairn-cdp/cairn/internal/analytics/abtest"
)

// JourneyReport is the report of one journey.
type JourneyReport struct {
	JourneyID  string           `json:"journey_id"`
	Instances  int64            `json:"instances"` // instances with a Journey Entered event
	Exited     map[string]int64 `json:"exited"`    // all nodes, by reason
	Nodes      []NodeReport     `json:"nodes"`
	Conversion Conversion       `json:"conversion"`
	Splits     []SplitReport    `json:"splits"`
}

// NodeReport is one node's counts.
type NodeReport struct {
	Node string `json:"node"`
	NodeCounts
	// Control compares the conversion of instances sent the node's message
	// with those held back as its control group; nil without both.
	Control *NodeLift `json:"control"`
}

// NodeLift is a message node against its control group.
type NodeLift struct {
	Sent    abtest.Counts `json:"sent"`
	Control abtest.Counts `json:"control"`
	Test    abtest.ZTest  `json:"test"` // sent (B) against control (A)
	// AdjustedP is Test.P adjusted by Holm's method over every message node
	// of the journey with a control group (one family per journey).
	AdjustedP float64 `json:"adjusted_p"`
	// Underperforming marks a message converting significantly worse
	// (adjusted p < 0.05) than not sending it.
	Underperforming bool `json:"underperforming"`
}

// Conversion compares treated instances with the holdout.
type Conversion struct {
	Treated     abtest.Counts `json:"treated"`
	Holdout     abtest.Counts `json:"holdout"`
	TreatedRate float64       `json:"treated_rate"`
	TreatedCI   Interval      `json:"treated_ci"`
	HoldoutRate float64       `json:"holdout_rate"`
	HoldoutCI   Interval      `json:"holdout_ci"`
	// Test is treated (B) against holdout (A); nil without both groups.
	Test *abtest.ZTest `json:"test"`
	// Underperforming marks a journey converting significantly worse
	// (p < 0.05) than its holdout.
	Underperforming bool `json:"underperforming"`
}

// SplitReport is the per-arm conversion of a split or experiment node.
type SplitReport struct {
	Node string      `json:"node"`
	Best string      `json:"best"`
	Arms []ArmReport `json:"arms"`
}

// ArmReport is one arm of a split.
type ArmReport struct {
	Arm    string        `json:"arm"`
	Counts abtest.Counts `json:"counts"`
	Rate   float64       `json:"rate"`
	CI     Interval      `json:"ci"`
	// VsBest tests the arm (B) against the best sibling (A); nil for the
	// best arm itself.
	VsBest *abtest.ZTest `json:"vs_best"`
	// VsControl tests the arm (B) against the arm named "control" (A), an
	// experiment's control; nil for the control itself or without one.
	VsControl *abtest.ZTest `json:"vs_control"`
	// AdjustedP is the smaller of the arm's two p-values after Holm's
	// adjustment over every comparison of the split (one family per split);
	// nil when the arm has no comparison.
	AdjustedP *float64 `json:"adjusted_p"`
	// Underperforming marks an arm significantly worse (adjusted p < 0.05)
	// than the best sibling or than the control: a candidate to retire.
	Underperforming bool `json:"underperforming"`
}

// Result builds the report; waiting is the active instances per node.
func (j *Journey) Result(waiting map[string]int64) JourneyReport {
	for n, w := range waiting {
		j.node(n).Waiting += w
	}
	r := JourneyReport{JourneyID: j.id, Exited: map[string]int64{}, Nodes: []NodeReport{}, Splits: []SplitReport{}}
	lifts := j.nodeLifts()
	for _, id := range slices.Sorted(maps.Keys(j.nodes)) {
		n := j.nodes[id]
		for reason, c := range n.Exited {
			r.Exited[reason] += c
		}
		r.Nodes = append(r.Nodes, NodeReport{Node: id, NodeCounts: *n, Control: lifts[id]})
	}
	arms := map[string]map[string]*abtest.Counts{}
	for _, in := range j.instances {
		r.Instances++
		g := &r.Conversion.Treated
		if in.holdout {
			g = &r.Conversion.Holdout
		}
		g.Trials++
		if in.converted {
			g.Successes++
		}
		if in.holdout {
			continue // the arms compare treatments
		}
		for split, arm := range in.paths {
			if arms[split] == nil {
				arms[split] = map[string]*abtest.Counts{}
			}
			c := arms[split][arm]
			if c == nil {
				c = &abtest.Counts{}
				arms[split][arm] = c
			}
			c.Trials++
			if in.converted {
				c.Successes++
			}
		}
	}
	c := &r.Conversion
	c.TreatedRate, c.TreatedCI = c.Treated.Rate(), Wilson(c.Treated.Successes, c.Treated.Trials)
	c.HoldoutRate, c.HoldoutCI = c.Holdout.Rate(), Wilson(c.Holdout.Successes, c.Holdout.Trials)
	if c.Treated.Trials > 0 && c.Holdout.Trials > 0 {
		if z, err := abtest.TwoProportions(c.Holdout, c.Treated, Alpha); err == nil {
			c.Test = &z
			c.Underperforming = z.P < Alpha && c.TreatedRate < c.HoldoutRate
		}
	}
	for _, split := range slices.Sorted(maps.Keys(arms)) {
		r.Splits = append(r.Splits, splitReport(split, arms[split]))
	}
	return r
}

// splitReport compares every arm with the best one (highest rate, then
// most trials, then name).
func splitReport(node string, arms map[string]*abtest.Counts) SplitReport {
	s := SplitReport{Node: node}
	for _, name := range slices.Sorted(maps.Keys(arms)) {
		c := *arms[name]
		s.Arms = append(s.Arms, ArmReport{Arm: name, Counts: c, Rate: c.Rate(), CI: Wilson(c.Successes, c.Trials)})
	}
	best := slices.MaxFunc(s.Arms, func(a, b ArmReport) int {
		return cmp.Or(cmp.Compare(a.Rate, b.Rate), cmp.Compare(a.Counts.Trials, b.Counts.Trials), cmp.Compare(b.Arm, a.Arm))
	})
	s.Best = best.Arm
	control, hasControl := arms["control"]
	type comparison struct {
		arm   int
		worse bool
		p     float64
	}
	var family []comparison
	for i := range s.Arms {
		a := &s.Arms[i]
		if a.Arm != best.Arm {
			if z, err := abtest.TwoProportions(best.Counts, a.Counts, Alpha); err == nil {
				a.VsBest = &z
				family = append(family, comparison{i, a.Rate < best.Rate, z.P})
			}
		}
		if hasControl && a.Arm != "control" {
			if z, err := abtest.TwoProportions(*control, a.Counts, Alpha); err == nil {
				a.VsControl = &z
				family = append(family, comparison{i, a.Rate < control.Rate(), z.P})
			}
		}
	}
	ps := make([]float64, len(family))
	for k, c := range family {
		ps[k] = c.p
	}
	for k, adj := range abtest.Holm(ps) {
		a := &s.Arms[family[k].arm]
		if a.AdjustedP == nil || adj < *a.AdjustedP {
			a.AdjustedP = &adj
		}
		a.Underperforming = a.Underperforming || family[k].worse && adj < Alpha
	}
	return s
}

// nodeLifts compares, per message node, the instances sent its message
// with those held back as its control group (holdout instances excluded).
func (j *Journey) nodeLifts() map[string]*NodeLift {
	out := map[string]*NodeLift{}
	add := func(c *abtest.Counts, converted bool) {
		c.Trials++
		if converted {
			c.Successes++
		}
	}
	for _, in := range j.instances {
		if in.holdout {
			continue
		}
		for node := range in.sent {
			if out[node] == nil {
				out[node] = &NodeLift{}
			}
			add(&out[node].Sent, in.converted)
		}
		for node := range in.control {
			if out[node] == nil {
				out[node] = &NodeLift{}
			}
			add(&out[node].Control, in.converted)
		}
	}
	nodes := slices.Sorted(maps.Keys(out))
	var tested []string
	var ps []float64
	for _, node := range nodes {
		l := out[node]
		z, err := abtest.TwoProportions(l.Control, l.Sent, Alpha)
		if err != nil { // no control group (or no send) at the node
			delete(out, node)
			continue
		}
		l.Test = z
		tested, ps = append(tested, node), append(ps, z.P)
	}
	for k, adj := range abtest.Holm(ps) {
		l := out[tested[k]]
		l.AdjustedP = adj
		l.Underperforming = adj < Alpha && l.Sent.Rate() < l.Control.Rate()
	}
	return out
}
