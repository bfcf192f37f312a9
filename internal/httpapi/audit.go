package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/cairn-cdp/cairn/internal/store"
)

// auditf records an administrative action; failures are logged, not returned,
// because the action itself already happened.
func (s *Server) auditf(r *http.Request, action, target, format string, args ...any) {
	e := store.AuditEntry{Time: s.d.Clock.Now(), Action: action, Target: target, Detail: fmt.Sprintf(format, args...)}
	if err := s.d.State.Audit(r.Context(), e); err != nil {
		s.d.Logger.Error("write audit entry", slog.String("action", action), slog.Any("error", err))
	}
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request) error {
	limit, err := intParam(r, "limit", 100, 1000)
	if err != nil {
		return err
	}
	list, err := s.d.State.AuditLog(r.Context(), limit)
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.AuditEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": list})
	return nil
}

// intParam reads an optional positive integer query parameter.
func intParam(r *http.Request, name string, def, maxV int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, badField(name, "%s must be a positive integer, got %q", name, v)
	}
	return min(n, maxV), nil
}
