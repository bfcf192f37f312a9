package httpapi

import (
	"context"
	"io"
	"net/http"
	"net/url"
)

// Imports runs server-side bulk imports.
type Imports interface {
	Start(ctx context.Context, q url.Values, body io.Reader) (any, error)
	Get(id string) (any, bool)
}

func (s *Server) startImport(w http.ResponseWriter, r *http.Request) error {
	if s.d.Imports == nil {
		return apiErr(CodeUnavailable, "imports are not configured on this server")
	}
	job, err := s.d.Imports.Start(r.Context(), r.URL.Query(), r.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, job)
	return nil
}

func (s *Server) getImport(w http.ResponseWriter, r *http.Request) error {
	if s.d.Imports == nil {
		return apiErr(CodeUnavailable, "imports are not configured on this server")
	}
	job, ok := s.d.Imports.Get(r.PathValue("id"))
	if !ok {
		return apiErr(CodeNotFound, "no import job %q on this server (jobs are kept in memory until restart)", r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, job)
	return nil
}
