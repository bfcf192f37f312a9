package httpapi

import (
	"context"
	"net/http"
)

// RFMRebinner recomputes every purchaser's RFM scores.
type RFMRebinner interface {
	RebinRFM(ctx context.Context) (int, error)
}

// rebinRFM is POST /v1/traits/rfm/rebin: recompute the RFM quintile scores
// now (the server also does it daily).
func (s *Server) rebinRFM(w http.ResponseWriter, r *http.Request) error {
	if s.d.RFM == nil {
		return apiErr(CodeUnavailable, "RFM scores are not computed on this server")
	}
	n, err := s.d.RFM.RebinRFM(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"profiles_changed": n,
		"traits": []string{"rfm_recency", "rfm_frequency", "rfm_monetary", "rfm_score"}})
	return nil
}
