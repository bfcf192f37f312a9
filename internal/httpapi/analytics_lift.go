package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/analytics/report"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// liftRequest is the body of POST /v1/analytics/lift.
type liftRequest struct {
	Exposure        *funnelStepRequest `json:"exposure"`
	Holdout         *funnelStepRequest `json:"holdout"`
	Conversion      *funnelStepRequest `json:"conversion"` // default Order Completed
	Window          string             `json:"window"`     // default 30d
	FirstConversion bool               `json:"first_conversion"`
	Unit            string             `json:"unit"` // exposure (default) or customer
	HoldoutShare    float64            `json:"holdout_share"`
	End             *time.Time         `json:"end"` // data horizon; default the latest event
	timeSpan
}

type liftResponse struct {
	report.LiftResult
	Window  string           `json:"window"`
	Scanned funnel.ScanStats `json:"scanned"`
}

// analyzeLift compares conversion after a channel's treatment records with
// conversion after its holdout records: the channel's incrementality.
func (s *Server) analyzeLift(w http.ResponseWriter, r *http.Request) error {
	q := liftRequest{Window: "30d"}
	if err := decode(r, &q); err != nil {
		return err
	}
	if q.Conversion == nil {
		q.Conversion = &funnelStepRequest{Event: defaultPurchase}
	}
	spec := report.LiftSpec{FirstConversion: q.FirstConversion, Unit: q.Unit, HoldoutShare: q.HoldoutShare, Now: s.d.Clock.Now()}
	spec.Since, spec.Until = q.bounds()
	if q.End != nil {
		spec.End = *q.End
	}
	window, err := segment.ParseDuration(q.Window)
	if err != nil {
		return badField("window", "window must be a duration such as 30d or 12h: %v", err)
	}
	spec.Window = time.Duration(window)
	for _, arm := range []struct {
		name string
		req  *funnelStepRequest
		dst  *funnel.Step
	}{{"exposure", q.Exposure, &spec.Exposure}, {"holdout", q.Holdout, &spec.Holdout}, {"conversion", q.Conversion, &spec.Conversion}} {
		if arm.req == nil {
			return badField(arm.name, "%s is required: {\"event\": NAME, \"where\": [filters]}", arm.name)
		}
		fs, err := decodeWhere(arm.name, json.RawMessage(arm.req.Where))
		if err != nil {
			return err
		}
		*arm.dst = funnel.Step{Event: arm.req.Event, Where: fs}
	}
	acc, err := report.NewLift(spec)
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
	writeResult(w, r, liftResponse{LiftResult: res, Window: q.Window, Scanned: stats})
	return nil
}
