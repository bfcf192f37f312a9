package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Channels a source may declare.
var Channels = []string{"web", "app", "store", "call_center", "email", "ads", "direct_mail", "social", "partner", "vendor", "server"}

// Parties a source may declare.
var Parties = []string{"first", "second", "third"}

type sourceRequest struct {
	Name          string `json:"name"`
	Channel       string `json:"channel"`
	Party         string `json:"party"`
	LinkAnonymous *bool  `json:"link_anonymous,omitempty"`
}

// ValidateSource checks a source definition and fills defaults.
func ValidateSource(req *sourceRequest) error {
	req.Name = strings.TrimSpace(req.Name)
	if req.Name == "" {
		return badField("name", "name is required, e.g. \"nto-web\"")
	}
	if !slices.Contains(Channels, req.Channel) {
		return badField("channel", "channel %q is not one of %s", req.Channel, strings.Join(Channels, ", "))
	}
	if req.Party == "" {
		req.Party = "first"
	}
	if !slices.Contains(Parties, req.Party) {
		return badField("party", "party %q is not one of %s", req.Party, strings.Join(Parties, ", "))
	}
	return nil
}

func (s *Server) createSource(w http.ResponseWriter, r *http.Request) error {
	var req sourceRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := ValidateSource(&req); err != nil {
		return err
	}
	existing, err := s.d.State.ListSources(r.Context())
	if err != nil {
		return err
	}
	if req.Name == internalSourceName {
		return badField("name", "%q is the name of Cairn's own source (journey, segment and message events); pick another name", req.Name)
	}
	for _, e := range existing {
		if e.Name == req.Name {
			e := apiErr(CodeConflict, "a source named %q already exists (id %s); pick another name", req.Name, e.ID)
			e.Field = "name"
			return e
		}
	}
	now := s.d.Clock.Now()
	src := store.Source{
		ID: s.d.NewID("src"), Name: req.Name, Channel: req.Channel, Party: req.Party, CreatedAt: now,
		LinkAnonymous: req.LinkAnonymous,
	}
	src.Keys = []store.WriteKey{{Key: s.d.NewKey(), SourceID: src.ID, CreatedAt: now}}
	if err := s.d.State.CreateSource(r.Context(), src); err != nil {
		return err
	}
	s.auditf(r, "source.create", src.ID, "name=%s channel=%s party=%s", src.Name, src.Channel, src.Party)
	writeJSON(w, http.StatusCreated, src)
	return nil
}

func (s *Server) listSources(w http.ResponseWriter, r *http.Request) error {
	list, err := s.d.State.ListSources(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.Source{}
	}
	out := make([]sourceView, len(list))
	for i, src := range list {
		out[i] = viewSource(src)
	}
	writeJSON(w, http.StatusOK, map[string]any{"sources": out})
	return nil
}

// sourceView is a source as the API shows it: Internal marks the source
// Cairn logs its own events under, which takes no write keys.
type sourceView struct {
	store.Source
	Internal bool `json:"internal,omitempty"`
}

func viewSource(src store.Source) sourceView {
	return sourceView{Source: src, Internal: isInternalSource(src)}
}

// isInternalSource recognises Cairn's own source (app/internal_source.go).
func isInternalSource(src store.Source) bool {
	return src.Name == internalSourceName && src.Channel == internalSourceChannel
}

func (s *Server) source(r *http.Request) (store.Source, error) {
	id := r.PathValue("id")
	src, err := s.d.State.GetSource(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return src, apiErr(CodeNotFound, "no source with id %q; list them with GET /v1/sources", id)
	}
	return src, err
}

func (s *Server) getSource(w http.ResponseWriter, r *http.Request) error {
	src, err := s.source(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewSource(src))
	return nil
}

func (s *Server) addKey(w http.ResponseWriter, r *http.Request) error {
	src, err := s.source(r)
	if err != nil {
		return err
	}
	if isInternalSource(src) {
		return apiErr(CodeConflict, "source %s is Cairn's own (journey, segment and message events) and takes no write keys; "+
			"create a source for your data with POST /v1/sources", src.ID)
	}
	k := store.WriteKey{Key: s.d.NewKey(), SourceID: src.ID, CreatedAt: s.d.Clock.Now()}
	if err := s.d.State.AddWriteKey(r.Context(), k); err != nil {
		return err
	}
	s.auditf(r, "source.key.add", src.ID, "")
	writeJSON(w, http.StatusCreated, k)
	return nil
}

func (s *Server) revokeKey(w http.ResponseWriter, r *http.Request) error {
	src, err := s.source(r)
	if err != nil {
		return err
	}
	key := r.PathValue("key")
	err = s.d.State.RevokeWriteKey(r.Context(), src.ID, key, s.d.Clock.Now())
	if errors.Is(err, store.ErrNotFound) {
		return apiErr(CodeNotFound, "source %s has no write key %q", src.ID, key)
	}
	if err != nil {
		return err
	}
	s.auditf(r, "source.key.revoke", src.ID, "key=%s…", key[:min(6, len(key))])
	w.WriteHeader(http.StatusNoContent)
	return nil
}
