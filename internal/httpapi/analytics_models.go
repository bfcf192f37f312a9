package httpapi

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
	"github.com/cairn-cdp/cairn/internal/analytics/source"
)

// registerModels adds the measurement-model routes (CLV, attribution,
// experiment analysis) over Cairn's own data. Server.Register calls it.
func (s *Server) registerModels(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/analytics/clv", s.admin(s.async(s.modelCLV)))
	mux.HandleFunc("POST /v1/analytics/attribution", s.admin(s.async(s.modelAttribution)))
	mux.HandleFunc("GET /v1/analytics/experiments/{journey}/{node}", s.admin(s.async(s.modelExperiment)))
}

const (
	clvTop          = 20
	week            = 7 * 24 * time.Hour
	defaultPurchase = "Order Completed"
	defaultRevenue  = "revenue"
)

// clvRequest is the body of POST /v1/analytics/clv; every field has a default.
type clvRequest struct {
	Event          string     `json:"event"`           // default "Order Completed"
	Revenue        *string    `json:"revenue"`         // default "revenue"; "" values purchases 0
	CalibrationEnd *time.Time `json:"calibration_end"` // default now
	HorizonWeeks   *float64   `json:"horizon_weeks"`   // default 52
	DiscountRate   *float64   `json:"discount_rate"`   // annual, default 0.1
}

// clvCustomer is one customer's summary and prediction.
type clvCustomer struct {
	ProfileID string  `json:"profile_id"`
	X         int     `json:"x"`
	TX        float64 `json:"t_x"`
	T         float64 `json:"T"`
	ZBar      float64 `json:"zbar"`
	clv.Value
}

// clvPopulation sums the predictions over every customer.
type clvPopulation struct {
	Customers         int     `json:"customers"`
	Repeaters         int     `json:"repeaters"`
	ExpectedPurchases float64 `json:"expected_purchases"`
	TotalCLV          float64 `json:"total_clv"`
}

// clvResponse is the answer of POST /v1/analytics/clv. Time is in weeks.
type clvResponse struct {
	Event          string          `json:"event"`
	Revenue        string          `json:"revenue"`
	CalibrationEnd time.Time       `json:"calibration_end"`
	Unit           string          `json:"unit"`
	HorizonWeeks   float64         `json:"horizon_weeks"`
	DiscountRate   float64         `json:"discount_rate"`
	Transactions   int             `json:"transactions"`
	MissingRevenue int             `json:"missing_revenue"` // purchases without a numeric revenue (valued 0)
	BGNBD          clv.BGNBD       `json:"bg_nbd"`
	BGNBDFit       clv.FitReport   `json:"bg_nbd_fit"`
	GammaGamma     *clv.GammaGamma `json:"gamma_gamma"`     // nil when spend cannot be fitted (see notes)
	GammaGammaFit  *clv.FitReport  `json:"gamma_gamma_fit"` // nil with GammaGamma
	Population     clvPopulation   `json:"population"`
	Top            []clvCustomer   `json:"top"` // by CLV (by expected purchases without a spend model)
	Distribution   clvDistribution `json:"distribution"`
	Notes          []string        `json:"notes"`
}

func (q *clvRequest) defaults(now time.Time) error {
	q.Event = cmp.Or(q.Event, defaultPurchase)
	if q.Revenue == nil {
		q.Revenue = new(defaultRevenue)
	}
	if q.CalibrationEnd == nil {
		q.CalibrationEnd = &now
	}
	if q.HorizonWeeks == nil {
		q.HorizonWeeks = new(52.0)
	}
	if q.DiscountRate == nil {
		q.DiscountRate = new(0.1)
	}
	if h := *q.HorizonWeeks; !(h > 0 && h <= 520) {
		return badField("horizon_weeks", "horizon_weeks must be in (0, 520], got %g", h)
	}
	if d := *q.DiscountRate; !(d >= 0 && d < 10) {
		return badField("discount_rate", "discount_rate must be in [0, 10), got %g", d)
	}
	return nil
}

// modelCLV fits BG/NBD and Gamma-Gamma to the stored purchases.
func (s *Server) modelCLV(w http.ResponseWriter, r *http.Request) error {
	var q clvRequest
	if err := decode(r, &q); err != nil {
		return err
	}
	if err := q.defaults(s.d.Clock.Now()); err != nil {
		return err
	}
	end := q.CalibrationEnd.UTC()
	until := time.Date(end.Year(), end.Month(), end.Day()+1, 0, 0, 0, 0, time.UTC) // Summarize counts the whole end day
	txs, missing, err := source.Purchases(r.Context(), s.d.State, s.d.Log, source.PurchaseQuery{Event: q.Event, Revenue: *q.Revenue, Until: until})
	if err != nil {
		return err
	}
	res := clvResponse{Event: q.Event, Revenue: *q.Revenue, CalibrationEnd: end, Unit: "week", HorizonWeeks: *q.HorizonWeeks,
		DiscountRate: *q.DiscountRate, Transactions: len(txs), MissingRevenue: missing, Top: []clvCustomer{}, Notes: []string{}}
	if len(txs) == 0 {
		return apiErr(CodeInvalid, "no %q events before %s: %v", q.Event, end.Format(time.RFC3339), clv.ErrNoCustomers)
	}
	cs, err := clv.Summarize(txs, end, week)
	if err != nil {
		return modelErr(err)
	}
	if res.BGNBD, res.BGNBDFit, err = clv.FitBGNBD(cs); err != nil {
		return modelErr(err)
	}
	gg, ggFit, err := clv.FitGammaGamma(cs)
	if err != nil {
		res.Notes = append(res.Notes, "no spend model, so no CLV: "+err.Error())
	} else {
		res.GammaGamma, res.GammaGammaFit = &gg, &ggFit
	}
	res.Population, res.Top, res.Distribution = predict(res.BGNBD, res.GammaGamma, cs, *q.HorizonWeeks, clv.DiscountRate(*q.DiscountRate, week))
	writeResult(w, r, res)
	return nil
}

// predict values every customer and keeps the top clvTop and the distribution.
func predict(m clv.BGNBD, gg *clv.GammaGamma, cs []clv.Customer, horizon, delta float64) (clvPopulation, []clvCustomer, clvDistribution) {
	pop, all := valueAll(m, gg, cs, horizon, delta)
	return pop, all[:min(clvTop, len(all))], distribution(all, gg != nil)
}

// valueAll values every customer, best first.
func valueAll(m clv.BGNBD, gg *clv.GammaGamma, cs []clv.Customer, horizon, delta float64) (clvPopulation, []clvCustomer) {
	pop := clvPopulation{Customers: len(cs)}
	all := make([]clvCustomer, 0, len(cs))
	for _, c := range cs {
		if c.X > 0 {
			pop.Repeaters++
		}
		cc := clvCustomer{ProfileID: c.ID, X: c.X, TX: c.TX, T: c.T, ZBar: c.ZBar}
		if gg != nil {
			cc.Value = clv.CLV(m, *gg, c, horizon, delta)
		} else {
			cc.PAlive = m.PAlive(float64(c.X), c.TX, c.T)
			cc.Purchases = m.ExpectedPurchases(horizon, float64(c.X), c.TX, c.T)
		}
		pop.ExpectedPurchases += cc.Purchases
		pop.TotalCLV += cc.CLV
		all = append(all, cc)
	}
	slices.SortStableFunc(all, func(a, b clvCustomer) int {
		return cmp.Or(cmp.Compare(b.CLV, a.CLV), cmp.Compare(b.Purchases, a.Purchases), cmp.Compare(a.ProfileID, b.ProfileID))
	})
	return pop, all
}

// modelErr turns a model's complaint about the data into a 422.
func modelErr(err error) error {
	if errors.Is(err, clv.ErrNotIdentifiable) || errors.Is(err, clv.ErrNoCustomers) {
		return &Error{Code: CodeInvalid, Message: err.Error(), err: err}
	}
	return err
}
