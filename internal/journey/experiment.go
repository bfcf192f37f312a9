package journey

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// ExperimentKey names one experiment node of one version.
func ExperimentKey(journeyID string, version int, node string) string {
	return journeyID + "/" + strconv.Itoa(version) + "/" + node
}

// WithWinners returns the catalog with decided experiment winners
// (ExperimentKey → variant id); arrivals at those nodes take the winner.
func (c *Catalog) WithWinners(w map[string]string) *Catalog {
	cp := *c
	cp.winners = w
	return &cp
}

// Winner returns the decided winner of an experiment node, if any.
func (c *Catalog) Winner(journeyID string, version int, node string) (string, bool) {
	w, ok := c.winners[ExperimentKey(journeyID, version, node)]
	return w, ok
}

// AutoExperiment is an experiment node whose winner is picked automatically.
type AutoExperiment struct {
	Version  *Version
	Node     *Node
	DecideAt time.Time // published + window
	Window   time.Duration
}

// AutoExperiments lists the undecided auto-winner experiments of live versions.
func (c *Catalog) AutoExperiments() []AutoExperiment {
	var out []AutoExperiment
	for _, id := range c.Journeys() {
		v, ok := c.live[id]
		if !ok {
			continue
		}
		for i := range v.Def.Nodes {
			n := &v.Def.Nodes[i]
			e := n.Experiment
			if e == nil || !e.AutoWinner {
				continue
			}
			if _, done := c.Winner(v.JourneyID, v.Number, n.ID); done {
				continue
			}
			w, _ := parseOffset(e.Window) //nolint:errcheck // validated at publish
			out = append(out, AutoExperiment{Version: v, Node: n, DecideAt: v.PublishedAt.Add(w), Window: w})
		}
	}
	return out
}

// Arm is one experiment arm's outcome.
type Arm struct {
	ID        string  `json:"id"`
	Entered   int64   `json:"entered"`
	Converted int64   `json:"converted"`
	Rate      float64 `json:"rate"`
}

// DecideWinner picks the variant with the highest conversion rate (ties:
// the earlier variant in the definition); the control never wins; an arm
// nobody entered cannot win. False when no variant was entered.
func DecideWinner(e *Experiment, arms map[string]*Arm) (string, bool) {
	best, bestRate := "", -1.0
	for _, v := range e.Variants {
		a := arms[v.ID]
		if a == nil || a.Entered == 0 {
			continue
		}
		a.Rate = float64(a.Converted) / float64(a.Entered)
		if a.Rate > bestRate {
			best, bestRate = v.ID, a.Rate
		}
	}
	return best, best != ""
}

// InstancePath returns the arm an instance took at a split or experiment node.
func InstancePath(row store.JourneyInstance, node string) (string, bool) {
	var st struct {
		Paths map[string]string `json:"paths"`
	}
	if len(row.State) == 0 || json.Unmarshal(row.State, &st) != nil {
		return "", false
	}
	p, ok := st.Paths[node]
	return p, ok
}
