package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

func (s *Server) journeyVersions(w http.ResponseWriter, r *http.Request) error {
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	vs, err := s.d.State.JourneyVersions(r.Context(), j.ID)
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []store.JourneyVersion{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"journey_id": j.ID, "live_version": j.LiveVersion, "versions": vs})
	return nil
}

func (s *Server) journeyVersion(w http.ResponseWriter, r *http.Request) error {
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n <= 0 {
		return badField("n", "the version must be a positive integer, got %q", r.PathValue("n"))
	}
	v, err := s.d.State.GetJourneyVersion(r.Context(), j.ID, n)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return apiErr(CodeNotFound, "journey %s has no version %d (live version: %d); list them with GET /v1/journeys/%s/versions", j.ID, n, j.LiveVersion, j.ID)
		}
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// journeyInstances lists a journey's instances by id, filtered by status
// and node, a page at a time.
func (s *Server) journeyInstances(w http.ResponseWriter, r *http.Request) error {
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 50, 1000)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	iq := store.InstanceQuery{JourneyID: j.ID, Status: q.Get("status"), Node: q.Get("node"), After: q.Get("cursor"), Limit: limit + 1}
	if iq.Status != "" && iq.Status != store.InstanceActive && iq.Status != store.InstanceExited {
		return badField("status", "status must be %s or %s, got %q", store.InstanceActive, store.InstanceExited, iq.Status)
	}
	list, err := s.d.State.ListInstances(r.Context(), iq)
	if err != nil {
		return err
	}
	next := ""
	if len(list) > limit {
		list = list[:limit]
		next = list[len(list)-1].ID
	}
	if list == nil {
		list = []store.JourneyInstance{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"journey_id": j.ID, "instances": list, "next_cursor": next})
	return nil
}

// nodeStats is one node's counts in GET /v1/journeys/{id}/stats: active
// instances (every version) and the node's sends by status, skipped and
// failed ones by reason.
type nodeStats struct {
	Node       string           `json:"node"`
	Kind       string           `json:"kind,omitempty"`
	Name       string           `json:"name,omitempty"`
	Removed    bool             `json:"removed,omitempty"` // not in the live version (older versions only)
	Active     int64            `json:"active"`
	Queued     int64            `json:"queued"`
	Attempting int64            `json:"attempting"`
	Sent       int64            `json:"sent"`
	Failed     int64            `json:"failed"`
	Unknown    int64            `json:"unknown"`
	Skipped    map[string]int64 `json:"skipped"`  // reason → count
	Failures   map[string]int64 `json:"failures"` // failure reason → count
}

// journeyStatsView is the body of GET /v1/journeys/{id}/stats.
type journeyStatsView struct {
	JourneyID   string                   `json:"journey_id"`
	Status      string                   `json:"status"`
	LiveVersion int                      `json:"live_version"`
	Entered     int64                    `json:"entered"`
	Goals       int64                    `json:"goals"`
	Active      []store.JourneyNodeCount `json:"active"`
	Exited      map[string]int64         `json:"exited"`
	Sends       []store.SendCount        `json:"sends"`
	Nodes       []*nodeStats             `json:"nodes"`
}

func (s *Server) journeyStats(w http.ResponseWriter, r *http.Request) error {
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	v := journeyStatsView{JourneyID: j.ID, Status: j.Status, LiveVersion: j.LiveVersion, Exited: map[string]int64{}}
	if v.Entered, err = s.d.State.CountInstances(ctx, j.ID); err != nil {
		return err
	}
	if v.Active, err = s.d.State.JourneyNodeCounts(ctx, j.ID); err != nil {
		return err
	}
	exits, err := s.d.State.JourneyExitCounts(ctx, j.ID)
	if err != nil {
		return err
	}
	for _, e := range exits {
		v.Exited[e.Reason] += e.Count
	}
	v.Goals = v.Exited[journey.ExitGoal]
	if v.Sends, err = s.d.State.JourneySendCounts(ctx, j.ID); err != nil {
		return err
	}
	var live *journey.Definition
	if j.LiveVersion > 0 {
		ver, err := s.d.State.GetJourneyVersion(ctx, j.ID, j.LiveVersion)
		if err != nil {
			return err
		}
		live, _ = journey.ParseJSON(ver.Definition) // unreadable: counts without node kinds
	}
	v.Nodes = mergeNodeStats(live, v.Active, v.Sends)
	if v.Active == nil {
		v.Active = []store.JourneyNodeCount{}
	}
	if v.Sends == nil {
		v.Sends = []store.SendCount{}
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// mergeNodeStats is the per-node view: the live definition's nodes in
// order, then nodes only older versions have (sorted by id).
func mergeNodeStats(live *journey.Definition, active []store.JourneyNodeCount, sends []store.SendCount) []*nodeStats {
	byID := map[string]*nodeStats{}
	out := []*nodeStats{}
	if live != nil {
		for i := range live.Nodes {
			n := &live.Nodes[i]
			ns := &nodeStats{Node: n.ID, Kind: n.Kind(), Name: n.Name, Skipped: map[string]int64{}, Failures: map[string]int64{}}
			byID[n.ID] = ns
			out = append(out, ns)
		}
	}
	var extra []*nodeStats
	get := func(id string) *nodeStats {
		if ns, ok := byID[id]; ok {
			return ns
		}
		ns := &nodeStats{Node: id, Removed: live != nil, Skipped: map[string]int64{}, Failures: map[string]int64{}}
		byID[id] = ns
		extra = append(extra, ns)
		return ns
	}
	for _, c := range active {
		get(c.Node).Active += c.Active
	}
	for _, c := range sends {
		ns := get(c.Node)
		switch c.Status {
		case store.SendQueued:
			ns.Queued += c.Count
		case store.SendAttempting:
			ns.Attempting += c.Count
		case store.SendSent:
			ns.Sent += c.Count
		case store.SendFailed:
			ns.Failed += c.Count
			ns.Failures[c.Reason] += c.Count
		case store.SendSkipped:
			ns.Skipped[c.Reason] += c.Count
		case store.SendUnknown:
			ns.Unknown += c.Count
		}
	}
	slices.SortFunc(extra, func(a, b *nodeStats) int { return strings.Compare(a.Node, b.Node) })
	return append(out, extra...)
}
