package httpapi

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/analytics/lifecycle"
	"github.com/cairn-cdp/cairn/internal/analytics/report"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// registerJourneyMap adds the journey map and its drill-down.
func (s *Server) registerJourneyMap(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/analytics/journey-map", s.admin(s.async(s.journeyMap)))
	mux.HandleFunc("GET /v1/analytics/journey-map/customers", s.admin(s.async(s.journeyMapCustomers)))
}

// journeyMapResponse is the map, the segment behind each stage, the live
// journeys and what they act on, and what the scan read.
type journeyMapResponse struct {
	report.JourneyMap
	// Segments maps each stage of the model to the segment that defines it.
	Segments map[string]string `json:"segments"`
	Journeys []mapJourney      `json:"journeys"`
	Scanned  funnel.ScanStats  `json:"scanned"`
}

// mapJourney is a live or paused journey and the parts of the map it acts
// on: the stages whose segment enters it, the touchpoints that enter it, end
// a wait or count as its goal, and the channels it sends on.
type mapJourney struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Status      string   `json:"status"`
	Stages      []string `json:"stages"`
	Touchpoints []string `json:"touchpoints"`
	Channels    []string `json:"channels"`
}

// mapSpec reads the range and window parameters and the stage model.
func (s *Server) mapSpec(r *http.Request) (report.MapSpec, map[string]string, error) {
	q := r.URL.Query()
	var spec report.MapSpec
	var err error
	if spec.Since, err = timeParam(q.Get("since"), "since"); err != nil {
		return spec, nil, err
	}
	if spec.Until, err = timeParam(q.Get("until"), "until"); err != nil {
		return spec, nil, err
	}
	if v := q.Get("window"); v != "" {
		d, err := segment.ParseDuration(v)
		if err != nil {
			return spec, nil, badField("window", "window must be a duration such as 30d or 12h: %v", err)
		}
		spec.Window = time.Duration(d)
	}
	m, err := s.d.State.GetStageModel(r.Context(), store.StageModelDefault)
	if errors.Is(err, store.ErrNotFound) {
		return spec, nil, apiErr(CodeInvalid, "the journey map places touchpoints in lifecycle stages, and no stage model "+
			"is defined; create one with PUT /v1/stages")
	}
	if err != nil {
		return spec, nil, fmt.Errorf("load the stage model: %w", err)
	}
	segs := map[string]string{}
	if spec.Model, err = s.replayModel(r.Context(), m); err != nil {
		return spec, nil, err
	}
	for _, st := range m.Stages {
		segs[st.Name] = st.SegmentID
	}
	spec.Now = s.d.Clock.Now()
	if spec.Internal, err = s.internalSourceID(r.Context()); err != nil {
		return spec, nil, err
	}
	return spec, segs, nil
}

// stageReplay is the stage model to replay for a stage breakdown; nil when
// no model is defined (the breakdown then reads recorded stage changes).
func (s *Server) stageReplay(ctx context.Context) (*lifecycle.Model, error) {
	m, err := s.d.State.GetStageModel(ctx, store.StageModelDefault)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load the stage model: %w", err)
	}
	out, err := s.replayModel(ctx, m)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// replayModel reads the definitions of a stage model's segments, and of
// every live segment for their in_segment references.
func (s *Server) replayModel(ctx context.Context, m store.StageModel) (report.StageModel, error) {
	list, err := s.d.State.ListSegments(ctx)
	if err != nil {
		return report.StageModel{}, fmt.Errorf("list segments: %w", err)
	}
	defs := make(map[string]*segment.Definition, len(list))
	for _, seg := range list {
		if d, err := segment.ParseJSON(seg.Definition); err == nil {
			defs[seg.ID] = d
		}
	}
	out := report.StageModel{Default: m.Default, Lookup: func(id string) (*segment.Definition, bool) {
		d, ok := defs[id]
		return d, ok
	}}
	for _, st := range m.Stages {
		d, ok := defs[st.SegmentID]
		if !ok {
			return report.StageModel{}, apiErr(CodeInvalid, "stage %q uses segment %s, which no longer exists or cannot be read; "+
				"fix the stage model with PUT /v1/stages", st.Name, st.SegmentID)
		}
		out.Stages = append(out.Stages, report.ModelStage{Name: st.Name, Def: d})
	}
	return out, nil
}

func (s *Server) journeyMap(w http.ResponseWriter, r *http.Request) error {
	spec, segs, err := s.mapSpec(r)
	if err != nil {
		return err
	}
	rows, err := intParam(r, "rows", report.DefaultMapRows, 500)
	if err != nil {
		return err
	}
	acc, err := report.NewMap(spec, rows)
	if err != nil {
		return reportErr(err)
	}
	defer acc.Close()
	stats, err := s.scanMap(r, spec.Need(), acc)
	if err != nil {
		return err
	}
	js, err := s.mapJourneys(r.Context(), segs)
	if err != nil {
		return err
	}
	writeResult(w, r, journeyMapResponse{JourneyMap: acc.Result(), Segments: segs, Journeys: js, Scanned: stats})
	return nil
}

// cellResponse is a page of the customers of one cell, named.
type cellResponse struct {
	Total     int              `json:"total"`
	Customers []cellCustomer   `json:"customers"`
	Next      string           `json:"next,omitempty"`
	Scanned   funnel.ScanStats `json:"scanned"`
}

// cellCustomer is a customer of a cell with the name and email people know
// them by (on pages of at most maxNamedCell customers).
type cellCustomer struct {
	report.CellCustomer
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// maxNamedCell bounds the page whose customers get names (two reads each).
const maxNamedCell = 200

func (s *Server) journeyMapCustomers(w http.ResponseWriter, r *http.Request) error {
	spec, _, err := s.mapSpec(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	cq := report.CellQuery{Stage: q.Get("stage"), Channel: q.Get("channel"), Touchpoint: q.Get("touchpoint")}
	if v := q.Get("advanced"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return badField("advanced", "advanced must be true or false, got %q", v)
		}
		cq.Advanced = &b
	}
	limit, err := intParam(r, "limit", 50, 100000)
	if err != nil {
		return err
	}
	acc, err := report.NewMapCustomers(spec, cq)
	if err != nil {
		return reportErr(err)
	}
	defer acc.Close()
	stats, err := s.scanMap(r, spec.Need(), acc)
	if err != nil {
		return err
	}
	page := acc.Page(q.Get("after"), limit)
	res := cellResponse{Total: page.Total, Next: page.Next, Customers: make([]cellCustomer, len(page.Customers)), Scanned: stats}
	for i, c := range page.Customers {
		res.Customers[i].CellCustomer = c
		if len(page.Customers) <= maxNamedCell {
			row, err := s.profileRow(r.Context(), store.Profile{ID: c.ProfileID})
			if err != nil {
				return err
			}
			res.Customers[i].Name, res.Customers[i].Email = row.Name, row.Email
		}
	}
	writeResult(w, r, res)
	return nil
}

func (s *Server) scanMap(r *http.Request, need funnel.Need, acc funnel.Accumulator) (funnel.ScanStats, error) {
	if s.d.Log == nil {
		return funnel.ScanStats{}, apiErr(CodeUnavailable, "the event log is not available on this server")
	}
	stats, err := s.scanHistories(r.Context(), need, acc)
	if err != nil {
		return stats, fmt.Errorf("scan events: %w", err)
	}
	return stats, nil
}

// mapJourneys lists the live and paused journeys with what they act on in
// their live version.
func (s *Server) mapJourneys(ctx context.Context, segs map[string]string) ([]mapJourney, error) {
	list, err := s.d.State.ListJourneys(ctx)
	if err != nil {
		return nil, fmt.Errorf("list journeys: %w", err)
	}
	stageOf := map[string]string{}
	for name, id := range segs {
		stageOf[id] = name
	}
	out := []mapJourney{}
	for _, j := range list {
		if j.LiveVersion == 0 || (j.Status != store.JourneyLive && j.Status != store.JourneyPaused) {
			continue
		}
		v, err := s.d.State.GetJourneyVersion(ctx, j.ID, j.LiveVersion)
		if err != nil {
			return nil, fmt.Errorf("load journey %s version %d: %w", j.ID, j.LiveVersion, err)
		}
		def, err := journey.ParseJSON(v.Definition)
		if err != nil {
			continue // unreadable by this build: it cannot be running either
		}
		mj := actsOn(def, stageOf)
		mj.ID, mj.Name, mj.Status = j.ID, cmp.Or(j.Name, j.ID), j.Status
		out = append(out, mj)
	}
	return out, nil
}

// actsOn finds the stages, touchpoints and channels a journey acts on.
func actsOn(def *journey.Definition, stageOf map[string]string) mapJourney {
	var mj mapJourney
	stage := func(seg string) {
		if name, ok := stageOf[seg]; ok {
			mj.Stages = append(mj.Stages, name)
		}
	}
	e := def.Entry
	switch {
	case e.Event != nil && e.Event.Name == report.EventStageChanged:
		mj.Stages = append(mj.Stages, stageEntered(e.Event.Where)...)
	case e.Event != nil:
		mj.Touchpoints = append(mj.Touchpoints, e.Event.Name)
	case e.Segment != nil:
		stage(e.Segment.ID)
	case e.Schedule != nil:
		stage(e.Schedule.Segment)
	}
	for _, g := range def.Goals {
		mj.Touchpoints = append(mj.Touchpoints, g.Event.Name)
	}
	for i := range def.Nodes {
		n := &def.Nodes[i]
		switch {
		case n.Message != nil:
			mj.Channels = append(mj.Channels, n.Message.Channel)
		case n.Wait != nil:
			for _, b := range n.Wait.Branches {
				if b.Event != nil {
					mj.Touchpoints = append(mj.Touchpoints, b.Event.Name)
				}
				if b.Segment != "" {
					stage(b.Segment)
				}
			}
		}
	}
	for _, l := range []*[]string{&mj.Stages, &mj.Touchpoints, &mj.Channels} {
		slices.Sort(*l)
		*l = slices.Compact(*l)
		if *l == nil {
			*l = []string{}
		}
	}
	return mj
}

// stageEntered reads the stages a Stage Changed entry filters on: its
// "to" property equal to (or in) names.
func stageEntered(where json.RawMessage) []string {
	var fs []struct {
		Property string `json:"property"`
		Op       string `json:"op"`
		Value    any    `json:"value"`
	}
	if json.Unmarshal(where, &fs) != nil {
		return nil
	}
	var out []string
	for _, f := range fs {
		if f.Property != "to" {
			continue
		}
		switch v := f.Value.(type) {
		case string:
			if f.Op == "equals" {
				out = append(out, v)
			}
		case []any:
			if f.Op == "in" {
				for _, x := range v {
					if s, ok := x.(string); ok {
						out = append(out, s)
					}
				}
			}
		}
	}
	return out
}
