package httpapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Computed is the computed trait engine (the processor): it recomputes a
// trait for every profile after its definition was saved or deleted.
type Computed interface {
	ReloadComputed(ctx context.Context, changedName string) error
}

// computedView is a stored computed trait as the API returns it.
type computedView struct {
	store.ComputedTrait
	Live bool `json:"live"`
}

func (s *Server) computedView(c store.ComputedTrait) computedView {
	live := false
	if l, ok := s.d.Computed.(interface{ ComputedLive(name string) bool }); ok {
		live = l.ComputedLive(c.Name)
	}
	return computedView{ComputedTrait: c, Live: live}
}

// listComputed is GET /v1/traits/computed.
func (s *Server) listComputed(w http.ResponseWriter, r *http.Request) error {
	list, err := s.d.State.ListComputedTraits(r.Context())
	if err != nil {
		return err
	}
	out := make([]computedView, 0, len(list))
	for _, c := range list {
		out = append(out, s.computedView(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"computed_traits": out})
	return nil
}

// putComputed is POST /v1/traits/computed: creates or replaces the
// definition named in the body and backfills the trait for every profile.
func (s *Server) putComputed(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err != nil {
		return apiErr(CodeBadRequest, "read request body: %v", err)
	}
	def, err := segment.ParseComputed(body)
	if err != nil {
		return computedErr(err)
	}
	c, err := s.d.State.PutComputedTrait(r.Context(), store.ComputedTrait{Name: def.Name, Definition: def.JSON(), UpdatedAt: s.now()})
	if err != nil {
		return err
	}
	s.auditf(r, "computed_traits.put", c.Name, "version=%d", c.Version)
	if s.d.Computed != nil {
		if err := s.d.Computed.ReloadComputed(context.WithoutCancel(r.Context()), c.Name); err != nil {
			return err
		}
	}
	status := http.StatusOK
	if c.Version == 1 {
		status = http.StatusCreated
	}
	writeJSON(w, status, s.computedView(c))
	return nil
}

// deleteComputed is DELETE /v1/traits/computed/{name}: the definition is
// deleted and the trait removed from every profile.
func (s *Server) deleteComputed(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	err := s.d.State.DeleteComputedTrait(r.Context(), name, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return apiErr(CodeNotFound, "no computed trait %q; list them with GET /v1/traits/computed", name)
	}
	if err != nil {
		return err
	}
	s.auditf(r, "computed_traits.delete", name, "")
	if s.d.Computed != nil {
		if err := s.d.Computed.ReloadComputed(context.WithoutCancel(r.Context()), name); err != nil {
			return err
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// computedErr renders a definition validation error as bad_request whose
// field is the definition field (where[0].op).
func computedErr(err error) error {
	var ve *segment.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	msg := ve.Msg
	if ve.Hint != "" {
		msg += "; " + ve.Hint
	}
	field := strings.TrimPrefix(strings.TrimPrefix(ve.Path, "computed"), ".")
	if field == "" {
		field = "body"
	}
	return badField(field, "%s", msg)
}
