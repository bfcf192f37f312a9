package httpapi

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// registerFunnels adds the funnel, paths, retention and lift analyses.
func (s *Server) registerFunnels(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/analytics/funnels", s.admin(s.async(s.analyzeFunnel)))
	mux.HandleFunc("POST /v1/analytics/paths", s.admin(s.async(s.analyzePaths)))
	mux.HandleFunc("POST /v1/analytics/retention", s.admin(s.async(s.analyzeRetention)))
	mux.HandleFunc("POST /v1/analytics/lift", s.admin(s.async(s.analyzeLift)))
}

// timeSpan is a time range of a request; both ends optional.
type timeSpan struct {
	Since *time.Time `json:"since"`
	Until *time.Time `json:"until"`
}

func (p timeSpan) bounds() (time.Time, time.Time) {
	var a, b time.Time
	if p.Since != nil {
		a = *p.Since
	}
	if p.Until != nil {
		b = *p.Until
	}
	return a, b
}

type funnelStepRequest struct {
	Event string          `json:"event"`
	Where json.RawMessage `json:"where"`
}

// funnelRequest is the body of POST /v1/analytics/funnels.
type funnelRequest struct {
	Steps     []funnelStepRequest `json:"steps"`
	Window    string              `json:"window"`    // default 7d
	Order     string              `json:"order"`     // strict (default) or any
	Breakdown string              `json:"breakdown"` // channel, source, stage, property:<path> or segment:<id>
	Compare   *timeSpan           `json:"compare"`   // a second period, computed in the same scan
	// SaveDropoff saves the customers who dropped at a step as a live
	// segment (strict order only).
	SaveDropoff *saveDropoff `json:"save_dropoff"`
	timeSpan
}

// saveDropoff names the step whose drop-off becomes a segment.
type saveDropoff struct {
	Step        int    `json:"step"` // 2…len(steps): did the step before, not this one
	Name        string `json:"name"`
	Description string `json:"description"`
}

// funnelResponse is a funnel, its comparison and what the scan read.
type funnelResponse struct {
	funnel.FunnelResult
	Window  string               `json:"window"`
	Order   funnel.Order         `json:"order"`
	Compare *funnel.FunnelResult `json:"compare,omitempty"`
	Scanned funnel.ScanStats     `json:"scanned"`
	Note    string               `json:"note"`
	// SavedSegment is the segment save_dropoff created.
	SavedSegment *segmentView `json:"saved_segment,omitempty"`
}

const droppedNote = "dropped lists a sample of at most 100 profile ids per step with the total, and (strict order) the " +
	"live segment of the drop-off: did the steps before within the window and never the step; it ignores since/until " +
	"and keeps itself current; save it with save_dropoff or POST /v1/segments"

func (s *Server) analyzeFunnel(w http.ResponseWriter, r *http.Request) error {
	q := funnelRequest{Window: "7d"}
	if err := decode(r, &q); err != nil {
		return err
	}
	spec := funnel.FunnelSpec{Order: funnel.Order(q.Order), Now: s.d.Clock.Now()}
	spec.Since, spec.Until = q.bounds()
	window, err := segment.ParseDuration(q.Window)
	if err != nil {
		return badField("window", "window must be a duration such as 7d or 12h: %v", err)
	}
	spec.Window = time.Duration(window)
	for i, st := range q.Steps {
		fs, err := decodeWhere(fmt.Sprintf("steps[%d]", i), st.Where)
		if err != nil {
			return err
		}
		spec.Steps = append(spec.Steps, funnel.Step{Event: st.Event, Where: fs})
	}
	if spec.Breakdown, err = s.funnelBreakdown(r, q.Breakdown); err != nil {
		return err
	}
	if spec.Breakdown.By == funnel.ByStage {
		if spec.Stages, err = s.stageReplay(r.Context()); err != nil {
			return err
		}
	}
	cur, err := funnel.NewFunnel(spec)
	if err != nil {
		return analysisErr(err)
	}
	var dropoff *segment.Definition
	if d := q.SaveDropoff; d != nil {
		if strings.TrimSpace(d.Name) == "" {
			return badField("save_dropoff.name", "name the drop-off segment, e.g. \"Abandoned checkout\"")
		}
		if dropoff, err = spec.DropoffDefinition(d.Step); err != nil {
			return analysisErr(fmt.Errorf("save_dropoff: %w", err))
		}
	}
	accs := []funnel.Accumulator{cur}
	var prev *funnel.Funnel
	if q.Compare != nil {
		c := spec
		c.Since, c.Until = q.Compare.bounds()
		if prev, err = funnel.NewFunnel(c); err != nil {
			return analysisErr(fmt.Errorf("compare: %w", err))
		}
		accs = append(accs, prev)
	}
	need := spec.Need()
	stats, err := s.scanAnalytics(r, need, accs...)
	if err != nil {
		return err
	}
	res, err := cur.Result()
	if err != nil {
		return analysisErr(err)
	}
	out := funnelResponse{FunnelResult: res, Window: q.Window, Order: cmp.Or(spec.Order, funnel.Strict), Scanned: stats, Note: droppedNote}
	if prev != nil {
		c, err := prev.Result()
		if err != nil {
			return analysisErr(err)
		}
		out.Compare = &c
	}
	if dropoff != nil {
		seg, err := s.saveSegment(r, strings.TrimSpace(q.SaveDropoff.Name), q.SaveDropoff.Description, dropoff)
		if err != nil {
			return err
		}
		out.SavedSegment = &segmentView{Segment: seg, Status: s.segmentStatus(seg.ID)}
	}
	writeResult(w, r, out)
	return nil
}

// funnelBreakdown parses channel, source, stage, property:PATH or
// segment:ID, loading the segment's members for the last.
func (s *Server) funnelBreakdown(r *http.Request, spec string) (funnel.Breakdown, error) {
	by, arg, _ := strings.Cut(spec, ":")
	switch by {
	case funnel.ByProperty:
		return funnel.Breakdown{By: by, Property: arg}, nil
	case funnel.BySegment:
	default:
		return funnel.Breakdown{By: spec}, nil
	}
	b := funnel.Breakdown{By: by, Segment: arg, Members: map[string]bool{}}
	if arg == "" {
		return b, badField("breakdown", "a segment breakdown names the segment: segment:ID")
	}
	if _, err := s.d.State.GetSegment(r.Context(), arg); errors.Is(err, store.ErrNotFound) {
		return b, badField("breakdown", "no segment with id %q (list them with GET /v1/segments)", arg)
	} else if err != nil {
		return b, fmt.Errorf("load segment %s: %w", arg, err)
	}
	after := ""
	for {
		page, err := s.d.State.SegmentMembers(r.Context(), arg, after, 1000)
		if err != nil {
			return b, fmt.Errorf("members of segment %s: %w", arg, err)
		}
		for _, m := range page {
			b.Members[m.ProfileID] = true
		}
		if len(page) < 1000 {
			return b, nil
		}
		after = page[len(page)-1].ProfileID
	}
}

// decodeWhere reads a step's filters in the segment filter language.
func decodeWhere(path string, raw json.RawMessage) ([]segment.Filter, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, badField(path+".where", "where is not valid JSON: %v", err)
	}
	fs, err := segment.DecodeFilters(path, v)
	if err != nil {
		return nil, badField(path+".where", "%v", err)
	}
	return fs, nil
}

// pathsRequest is the body of POST /v1/analytics/paths.
type pathsRequest struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Depth int    `json:"depth"` // default 5
	Level string `json:"level"` // event (default) or channel
	Top   int    `json:"top"`   // default 10
	timeSpan
}

type pathsResponse struct {
	funnel.PathsResult
	Scanned funnel.ScanStats `json:"scanned"`
}

func (s *Server) analyzePaths(w http.ResponseWriter, r *http.Request) error {
	var q pathsRequest
	if err := decode(r, &q); err != nil {
		return err
	}
	spec := funnel.PathsSpec{From: q.From, To: q.To, Depth: q.Depth, Level: q.Level, Top: q.Top}
	spec.Since, spec.Until = q.bounds()
	p, err := funnel.NewPaths(spec)
	if err != nil {
		return analysisErr(err)
	}
	stats, err := s.scanAnalytics(r, spec.Need(), p)
	if err != nil {
		return err
	}
	res, err := p.Result()
	if err != nil {
		return analysisErr(err)
	}
	writeResult(w, r, pathsResponse{PathsResult: res, Scanned: stats})
	return nil
}

// retentionRequest is the body of POST /v1/analytics/retention.
type retentionRequest struct {
	CohortEvent string `json:"cohort_event"` // default Order Completed
	ReturnEvent string `json:"return_event"` // default the cohort event
	Period      string `json:"period"`       // day, week (default) or month
	Periods     int    `json:"periods"`      // default 8
	timeSpan
}

type retentionResponse struct {
	funnel.RetentionResult
	CohortEvent string           `json:"cohort_event"`
	ReturnEvent string           `json:"return_event"`
	Scanned     funnel.ScanStats `json:"scanned"`
}

func (s *Server) analyzeRetention(w http.ResponseWriter, r *http.Request) error {
	var q retentionRequest
	if err := decode(r, &q); err != nil {
		return err
	}
	if q.CohortEvent == "" {
		q.CohortEvent = defaultPurchase
	}
	if q.ReturnEvent == "" {
		q.ReturnEvent = q.CohortEvent
	}
	spec := funnel.RetentionSpec{CohortEvent: q.CohortEvent, ReturnEvent: q.ReturnEvent, Period: q.Period, Periods: q.Periods,
		Now: s.d.Clock.Now()}
	spec.Since, spec.Until = q.bounds()
	acc, err := funnel.NewRetention(spec)
	if err != nil {
		return analysisErr(err)
	}
	stats, err := s.scanAnalytics(r, spec.Need(), acc)
	if err != nil {
		return err
	}
	res, err := acc.Result()
	if err != nil {
		return analysisErr(err)
	}
	writeResult(w, r, retentionResponse{RetentionResult: res, CohortEvent: q.CohortEvent, ReturnEvent: q.ReturnEvent, Scanned: stats})
	return nil
}

// scanAnalytics streams every profile's events, without Cairn's internal
// source except the events need keeps, to the accumulators.
func (s *Server) scanAnalytics(r *http.Request, need funnel.Need, accs ...funnel.Accumulator) (funnel.ScanStats, error) {
	if s.d.Log == nil {
		return funnel.ScanStats{}, apiErr(CodeUnavailable, "the event log is not available on this server")
	}
	internal, err := s.internalSourceID(r.Context())
	if err != nil {
		return funnel.ScanStats{}, err
	}
	if internal != "" {
		need.Exclude = []string{internal}
	}
	stats, err := s.scanHistories(r.Context(), need, accs...)
	if err != nil {
		return stats, fmt.Errorf("scan events: %w", err)
	}
	return stats, nil
}

// analysisErr maps invalid and unknown-name errors to 422 with their message.
func analysisErr(err error) error {
	if errors.Is(err, funnel.ErrInvalid) || errors.Is(err, funnel.ErrUnknown) {
		return &Error{Code: CodeInvalid, Message: err.Error(), err: err}
	}
	return err
}
