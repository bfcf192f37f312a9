package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/cairn-cdp/cairn/internal/store"
)

// AudienceRefresher writes an ad audience's files now.
type AudienceRefresher interface {
	RefreshAudience(ctx context.Context, id string) (any, error)
}

// refreshAudience is POST /v1/audiences/{id}/refresh: export the
// audience's segment now (it is also refreshed after membership changes).
func (s *Server) refreshAudience(w http.ResponseWriter, r *http.Request) error {
	if s.d.Audiences == nil {
		return apiErr(CodeUnavailable, "audience export is not available on this server")
	}
	id := r.PathValue("id")
	stats, err := s.d.Audiences.RefreshAudience(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return apiErr(CodeNotFound, "no audience %q", id)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, stats)
	return nil
}
