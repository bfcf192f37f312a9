package httpapi

import (
	"context"
	"math"
	"net/http"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
	"github.com/cairn-cdp/cairn/internal/analytics/source"
)

// ModelTraitWriter writes model outputs onto profiles as computed traits
// (the processor, which re-evaluates the segments reading them).
type ModelTraitWriter interface {
	SetModelTraits(ctx context.Context, values map[string]map[string]any) (int, error)
}

// applyCLV is POST /v1/analytics/clv/apply: fit the CLV models like POST
// /v1/analytics/clv and write every customer's p_alive,
// predicted_purchases_90d and predicted_clv (over horizon_weeks) as computed
// traits usable in segments and journeys.
func (s *Server) applyCLV(w http.ResponseWriter, r *http.Request) error {
	if s.d.ModelTraits == nil {
		return apiErr(CodeUnavailable, "model traits cannot be written on this server")
	}
	var q clvRequest
	if err := decode(r, &q); err != nil {
		return err
	}
	if err := q.defaults(s.d.Clock.Now()); err != nil {
		return err
	}
	end := q.CalibrationEnd.UTC()
	until := time.Date(end.Year(), end.Month(), end.Day()+1, 0, 0, 0, 0, time.UTC)
	txs, _, err := source.Purchases(r.Context(), s.d.State, s.d.Log, source.PurchaseQuery{Event: q.Event, Revenue: *q.Revenue, Until: until})
	if err != nil {
		return err
	}
	if len(txs) == 0 {
		return apiErr(CodeInvalid, "no %q events before %s: %v", q.Event, end.Format(time.RFC3339), clv.ErrNoCustomers)
	}
	cs, err := clv.Summarize(txs, end, week)
	if err != nil {
		return modelErr(err)
	}
	m, _, err := clv.FitBGNBD(cs)
	if err != nil {
		return modelErr(err)
	}
	var gg *clv.GammaGamma
	if g, _, err := clv.FitGammaGamma(cs); err == nil {
		gg = &g
	}
	_, all := valueAll(m, gg, cs, *q.HorizonWeeks, clv.DiscountRate(*q.DiscountRate, week))
	const weeks90d = 90.0 / 7
	values := make(map[string]map[string]any, len(all))
	for _, c := range all {
		v := map[string]any{
			"p_alive":                 round(c.PAlive, 4),
			"predicted_purchases_90d": round(m.ExpectedPurchases(weeks90d, float64(c.X), c.TX, c.T), 4),
			"predicted_clv":           nil, // no spend model: no CLV (an old value is removed)
		}
		if gg != nil {
			v["predicted_clv"] = round(c.CLV, 2)
		}
		values[c.ProfileID] = v
	}
	n, err := s.d.ModelTraits.SetModelTraits(r.Context(), values)
	if err != nil {
		return err
	}
	writeResult(w, r, clvApplyResponse{Customers: len(all), ProfilesChanged: n, BGNBD: m, GammaGamma: gg,
		Traits: []string{"p_alive", "predicted_purchases_90d", "predicted_clv"}})
	return nil
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}
