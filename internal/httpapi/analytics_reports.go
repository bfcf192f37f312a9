package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/analytics/report"
)

// registerReports adds the journey and lifecycle-stage reports.
func (s *Server) registerReports(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/analytics/journeys/{id}/report", s.admin(s.async(s.journeyReport)))
	mux.HandleFunc("GET /v1/analytics/stages/report", s.admin(s.async(s.stageReport)))
	mux.HandleFunc("GET /v1/analytics/stages/flow", s.admin(s.async(s.stageFlow)))
}

// journeyReportResponse is a journey report and what the scan read.
type journeyReportResponse struct {
	report.JourneyReport
	Name    string           `json:"name"`
	Scanned funnel.ScanStats `json:"scanned"`
}

func (s *Server) journeyReport(w http.ResponseWriter, r *http.Request) error {
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	acc := report.NewJourney(j.ID)
	stats, err := s.scanReport(r, report.JourneyEvents, acc)
	if err != nil {
		return err
	}
	counts, err := s.d.State.JourneyNodeCounts(r.Context(), j.ID)
	if err != nil {
		return fmt.Errorf("count instances of journey %s: %w", j.ID, err)
	}
	waiting := map[string]int64{}
	for _, c := range counts {
		waiting[c.Node] += c.Active
	}
	writeResult(w, r, journeyReportResponse{JourneyReport: acc.Result(waiting), Name: j.Name, Scanned: stats})
	return nil
}

// stageReportResponse is a stage response report and what the scan read.
type stageReportResponse struct {
	report.StageReport
	Scanned funnel.ScanStats `json:"scanned"`
}

func (s *Server) stageReport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	spec := report.StageSpec{Metric: report.Metric(q.Get("metric")), Sort: report.Sort(q.Get("sort"))}
	var err error
	if spec.Since, err = timeParam(q.Get("since"), "since"); err != nil {
		return err
	}
	if spec.Until, err = timeParam(q.Get("until"), "until"); err != nil {
		return err
	}
	acc, err := report.NewStages(spec)
	if err != nil {
		return reportErr(err)
	}
	stats, err := s.scanReport(r, report.StageEvents, acc)
	if err != nil {
		return err
	}
	writeResult(w, r, stageReportResponse{StageReport: acc.Result(), Scanned: stats})
	return nil
}

// stageFlowResponse is a stage flow and what the scan read.
type stageFlowResponse struct {
	report.FlowReport
	Scanned funnel.ScanStats `json:"scanned"`
}

func (s *Server) stageFlow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	period := q.Get("period")
	if period == "" {
		period = string(report.Week)
	}
	p, err := report.ParsePeriod(period)
	if err != nil {
		return reportErr(err)
	}
	spec := report.FlowSpec{Period: p}
	if spec.Since, err = timeParam(q.Get("since"), "since"); err != nil {
		return err
	}
	if spec.Until, err = timeParam(q.Get("until"), "until"); err != nil {
		return err
	}
	acc, err := report.NewFlow(spec)
	if err != nil {
		return reportErr(err)
	}
	stats, err := s.scanReport(r, report.FlowEvents, acc)
	if err != nil {
		return err
	}
	res, err := acc.Result()
	if err != nil {
		return reportErr(err)
	}
	writeResult(w, r, stageFlowResponse{FlowReport: res, Scanned: stats})
	return nil
}

// scanReport feeds every profile's history, Cairn's own events included,
// to acc, decoding the named events.
func (s *Server) scanReport(r *http.Request, events []string, acc funnel.Accumulator) (funnel.ScanStats, error) {
	if s.d.Log == nil {
		return funnel.ScanStats{}, apiErr(CodeUnavailable, "the event log is not available on this server")
	}
	stats, err := s.scanHistories(r.Context(), funnel.Need{Decode: events}, acc)
	if err != nil {
		return stats, fmt.Errorf("scan events: %w", err)
	}
	return stats, nil
}

// HistoryScanner feeds every profile's history to accumulators: the
// in-memory analytics projection (internal/analytics/projection).
type HistoryScanner interface {
	Scan(ctx context.Context, need funnel.Need, accs ...funnel.Accumulator) (funnel.ScanStats, error)
}

// scanHistories reads every history from the projection when there is one,
// else from the state store.
func (s *Server) scanHistories(ctx context.Context, need funnel.Need, accs ...funnel.Accumulator) (funnel.ScanStats, error) {
	if s.d.Histories != nil {
		return s.d.Histories.Scan(ctx, need, accs...)
	}
	return funnel.Scan(ctx, s.d.State, s.d.Log, need, accs...)
}

// reportErr maps invalid report parameters to 422 with their message.
func reportErr(err error) error {
	if errors.Is(err, report.ErrInvalid) {
		return &Error{Code: CodeInvalid, Message: err.Error(), err: err}
	}
	return err
}
