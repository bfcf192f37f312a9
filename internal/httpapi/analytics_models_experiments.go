package httpapi

import (
	"cmp"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/abtest"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

const experimentPage = 1000 // instances listed per call

// experimentArm is one arm's counts in GET /v1/analytics/experiments/{journey}/{node}.
type experimentArm struct {
	ID      string  `json:"id"`
	Planned float64 `json:"planned_percent"`
	abtest.Counts
	Rate float64 `json:"rate"`
}

// experimentComparison is arm A (the control or the first variant) against another arm.
type experimentComparison struct {
	A      string        `json:"a"`
	B      string        `json:"b"`
	Report abtest.Report `json:"report"`
}

// experimentResponse is the analysis of one experiment or random split node.
type experimentResponse struct {
	JourneyID   string                 `json:"journey_id"`
	Version     int                    `json:"version"`
	Node        string                 `json:"node"`
	Kind        string                 `json:"kind"`
	Metric      string                 `json:"metric"`
	Window      string                 `json:"window"` // "" counts conversions any time after entering
	At          time.Time              `json:"at"`
	Arms        []experimentArm        `json:"arms"`
	Comparisons []experimentComparison `json:"comparisons"`
	Bayes       *abtest.Bayes          `json:"bayes"`
	SRM         abtest.SRMResult       `json:"srm"`
	Unplanned   map[string]int64       `json:"unplanned,omitempty"` // instances on a path the definition no longer has
	Notes       []string               `json:"notes"`
}

// experimentPlan reads the arms and planned split of a node: the control
// first when there is one, then the variants (or the random split's paths,
// named as the engine records them).
func experimentPlan(n *journey.Node) (kind, metric, window string, arms []experimentArm, ok bool) {
	switch {
	case n.Experiment != nil:
		e := n.Experiment
		if e.Control != nil {
			arms = append(arms, experimentArm{ID: "control", Planned: e.Control.Percent})
		}
		for _, v := range e.Variants {
			arms = append(arms, experimentArm{ID: v.ID, Planned: v.Percent})
		}
		return "experiment", e.Metric, e.Window, arms, true
	case n.RandomSplit != nil:
		for i, p := range n.RandomSplit.Paths {
			arms = append(arms, experimentArm{ID: cmp.Or(p.ID, "path "+strconv.Itoa(i)), Planned: p.Percent})
		}
		return "random_split", "", "", arms, true
	}
	return "", "", "", nil, false
}

// modelExperiment analyzes the arms of an experiment or random split node.
func (s *Server) modelExperiment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	jid, nid := r.PathValue("journey"), r.PathValue("node")
	j, err := s.d.State.GetJourney(ctx, jid)
	if errors.Is(err, store.ErrNotFound) {
		return apiErr(CodeNotFound, "no journey with id %q; list them with GET /v1/journeys", jid)
	}
	if err != nil {
		return err
	}
	version := j.LiveVersion
	if v := r.URL.Query().Get("version"); v != "" {
		if version, err = strconv.Atoi(v); err != nil || version <= 0 {
			return badField("version", "version must be a positive integer, got %q", v)
		}
	}
	if version == 0 {
		return apiErr(CodeInvalid, "journey %s was never published; there is no experiment to analyze", jid)
	}
	ver, err := s.d.State.GetJourneyVersion(ctx, jid, version)
	if errors.Is(err, store.ErrNotFound) {
		return apiErr(CodeNotFound, "journey %s has no version %d", jid, version)
	}
	if err != nil {
		return err
	}
	def, err := journey.ParseJSON(ver.Definition)
	if err != nil {
		return err
	}
	n := nodeByID(def, nid)
	if n == nil {
		return apiErr(CodeNotFound, "journey %s version %d has no node %q", jid, version, nid)
	}
	kind, metric, window, arms, ok := experimentPlan(n)
	if !ok {
		return apiErr(CodeInvalid, "node %q is a %s node, not an experiment or random split", nid, n.Kind())
	}
	q := r.URL.Query()
	metric, window = cmp.Or(q.Get("metric"), metric), cmp.Or(q.Get("window"), window)
	if metric == "" {
		return badField("metric", "node %q names no metric; pass ?metric=<event name>", nid)
	}
	span, err := parseSpan("window", window)
	if err != nil {
		return err
	}
	res := experimentResponse{JourneyID: jid, Version: version, Node: nid, Kind: kind, Metric: metric, Window: window,
		At: s.d.Clock.Now().UTC(), Arms: arms, Comparisons: []experimentComparison{}, Notes: []string{}}
	if err := s.countArms(r, &res, span); err != nil {
		return err
	}
	return s.analyzeArms(w, r, &res)
}

// countArms pages over the journey's instances (every version) and counts,
// per arm, the instances that took it and those whose customer performed
// the metric within the window after entering the journey.
func (s *Server) countArms(r *http.Request, res *experimentResponse, span time.Duration) error {
	ctx := r.Context()
	index := map[string]int{}
	for i, a := range res.Arms {
		index[a.ID] = i
	}
	q := store.InstanceQuery{JourneyID: res.JourneyID, Limit: experimentPage}
	for {
		page, err := s.d.State.ListInstances(ctx, q)
		if err != nil {
			return err
		}
		for _, row := range page {
			arm, took := journey.InstancePath(row, res.Node)
			if !took {
				continue
			}
			i, planned := index[arm]
			if !planned {
				if res.Unplanned == nil {
					res.Unplanned = map[string]int64{}
				}
				res.Unplanned[arm]++
				continue
			}
			res.Arms[i].Trials++
			tq := store.TimelineQuery{ProfileIDs: []string{row.ProfileID}, Type: "track", Event: res.Metric, Since: row.EnteredAt, Limit: 1}
			if span > 0 {
				tq.Until = row.EnteredAt.Add(span)
			}
			hit, err := s.d.State.Timeline(ctx, tq)
			if err != nil {
				return err
			}
			if len(hit) > 0 {
				res.Arms[i].Successes++
			}
		}
		if len(page) < q.Limit {
			return nil
		}
		q.After = page[len(page)-1].ID
	}
}

// analyzeArms runs the tests and writes the response.
func (s *Server) analyzeArms(w http.ResponseWriter, r *http.Request, res *experimentResponse) error {
	counts := make([]abtest.Counts, len(res.Arms))
	observed := make([]int64, len(res.Arms))
	planned := make([]float64, len(res.Arms))
	for i := range res.Arms {
		a := &res.Arms[i]
		a.Rate = a.Counts.Rate()
		counts[i], observed[i], planned[i] = a.Counts, a.Trials, a.Planned
	}
	if len(res.Arms) < 2 {
		res.Notes = append(res.Notes, "a single arm: nothing to compare")
		writeResult(w, r, res)
		return nil
	}
	srm, err := abtest.SRM(observed, planned)
	if err != nil {
		return err
	}
	res.SRM = srm
	for i := 1; i < len(res.Arms); i++ {
		rep, err := abtest.Analyze(abtest.Input{A: counts[0], B: counts[i], Planned: []float64{planned[0], planned[i]}})
		if err != nil {
			return err
		}
		res.Comparisons = append(res.Comparisons, experimentComparison{A: res.Arms[0].ID, B: res.Arms[i].ID, Report: rep})
	}
	bayes, err := abtest.BetaBinomial(counts, abtest.BayesOptions{})
	if err != nil {
		return err
	}
	res.Bayes = &bayes
	if res.Unplanned != nil {
		res.Notes = append(res.Notes, "some instances took paths the analyzed version does not have; they are left out (see unplanned)")
	}
	res.Notes = append(res.Notes, "once an auto-winner is decided everyone takes the winner, so the split (and SRM) is only meaningful before that")
	writeResult(w, r, res)
	return nil
}

// nodeByID finds a node of a parsed (not validated) definition.
func nodeByID(def *journey.Definition, id string) *journey.Node {
	for i := range def.Nodes {
		if def.Nodes[i].ID == id {
			return &def.Nodes[i]
		}
	}
	return nil
}
