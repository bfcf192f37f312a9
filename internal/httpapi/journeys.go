package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/profile"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Journeys is the running journey engine.
type Journeys interface {
	// Reload rereads journeys and their live versions (after publish, pause, resume).
	Reload(ctx context.Context) error
	// Stop ejects every active instance of a journey (exit reason "stopped").
	Stop(ctx context.Context, journeyID string) error
	// Enter enters a profile into a journey with an API entry; instanceID is
	// "" when the re-entry policy refused.
	Enter(ctx context.Context, journeyID, profileID string, props map[string]any) (instanceID string, err error)
	// Refs reports what exists, for publish-time validation.
	Refs(ctx context.Context) (journey.Refs, error)
	// Migrate moves active instances of older versions onto the live
	// version at the mapped nodes (old node id → new node id); it returns
	// how many moved.
	Migrate(ctx context.Context, journeyID string, nodes map[string]string) (int, error)
}

// ErrInvalidInput marks an error of Journeys or Messaging that the request
// caused (a template that does not render, an entry the journey refuses):
// wrap it (fmt.Errorf("%w: ...", httpapi.ErrInvalidInput)) and the API
// answers 422 with the error's message. An *Error is rendered as it is;
// store.ErrNotFound becomes 404; anything else is a 500.
var ErrInvalidInput = errors.New("invalid input")

// journeyIDPattern is the id rule of journey.Validate, checked early here
// because the id becomes part of URLs.
var journeyIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`)

// journeyRequest is the body of POST /v1/journeys and PUT /v1/journeys/{id}:
// exactly one of definition (a JSON object) and yaml.
type journeyRequest struct {
	Definition json.RawMessage `json:"definition,omitempty"`
	YAML       *string         `json:"yaml,omitempty"`
}

// journeyView is a journey as GET /v1/journeys/{id} returns it: the row with
// its draft, and the live definition.
type journeyView struct {
	store.Journey
	Live               json.RawMessage `json:"live,omitempty"`
	PublishedAt        *time.Time      `json:"published_at,omitempty"`
	UnpublishedChanges bool            `json:"unpublished_changes"`
}

// parse parses the one definition form of the request. Syntax problems are
// a 400 listing every problem.
func (req *journeyRequest) parse() (*journey.Definition, error) {
	hasDef, hasYAML := len(req.Definition) > 0 && string(req.Definition) != "null", req.YAML != nil
	if hasDef == hasYAML {
		return nil, badField("definition", "send exactly one of definition (a JSON object) or yaml (a YAML string)")
	}
	if hasYAML {
		def, err := journey.ParseYAML([]byte(*req.YAML))
		if err != nil {
			return nil, problemsErr(CodeBadRequest, "yaml", err)
		}
		return def, nil
	}
	if req.Definition[0] != '{' {
		return nil, badField("definition", "definition must be a JSON object with id, name, entry and nodes; to send YAML use \"yaml\"")
	}
	def, err := journey.ParseJSON(req.Definition)
	if err != nil {
		return nil, problemsErr(CodeBadRequest, "definition", err)
	}
	return def, nil
}

// problemsErr renders a *journey.ValidationError as code with every
// problem listed; other errors pass through.
func problemsErr(code, field string, err error) error {
	var ve *journey.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) == 0 {
		return err
	}
	msg := ve.Problems[0].String()
	if n := len(ve.Problems); n > 1 {
		msg = fmt.Sprintf("%d problems; the first: %s", n, msg)
	}
	return &Error{Code: code, Message: msg, Field: field, Problems: ve.Problems}
}

// checkJourneyID checks the id a definition carries; want is the id of the
// addressed journey ("" on create).
func checkJourneyID(def *journey.Definition, want string) error {
	if def.ID == "" && want != "" {
		def.ID = want
	}
	switch {
	case def.ID == "":
		return badField("definition.id", "the definition needs an id, e.g. \"welcome-series\" (1-128 letters, digits, _, . or -)")
	case !journeyIDPattern.MatchString(def.ID):
		return badField("definition.id", "%q is not a valid journey id: use 1-128 letters, digits, _, . or -, starting with a letter or digit", def.ID)
	case want != "" && def.ID != want:
		return badField("definition.id", "the definition's id %q does not match the journey %q in the URL; ids cannot be changed", def.ID, want)
	}
	return nil
}

// loadJourney loads the {id} journey, 404 when unknown.
func (s *Server) loadJourney(r *http.Request) (store.Journey, error) {
	id := r.PathValue("id")
	j, err := s.d.State.GetJourney(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return j, apiErr(CodeNotFound, "no journey with id %q; list them with GET /v1/journeys", id)
	}
	return j, err
}

func (s *Server) createJourney(w http.ResponseWriter, r *http.Request) error {
	var req journeyRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	def, err := req.parse()
	if err != nil {
		return err
	}
	if err := checkJourneyID(def, ""); err != nil {
		return err
	}
	now := s.now()
	j := store.Journey{ID: def.ID, Name: def.Name, Status: store.JourneyDraft, Draft: def.JSON(), CreatedAt: now, UpdatedAt: now}
	err = s.d.State.CreateJourney(r.Context(), j)
	if errors.Is(err, store.ErrConflict) {
		return apiErr(CodeConflict, "a journey with id %q already exists; change it with PUT /v1/journeys/%s", def.ID, def.ID)
	}
	if err != nil {
		return err
	}
	s.auditf(r, "journey.create", j.ID, "name=%s", j.Name)
	writeJSON(w, http.StatusCreated, journeyView{Journey: j, UnpublishedChanges: true})
	return nil
}

func (s *Server) listJourneys(w http.ResponseWriter, r *http.Request) error {
	list, err := s.d.State.ListJourneys(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.Journey{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"journeys": list})
	return nil
}

// view adds the live definition to j.
func (s *Server) journeyView(ctx context.Context, j store.Journey) (journeyView, error) {
	v := journeyView{Journey: j, UnpublishedChanges: true}
	if j.LiveVersion == 0 {
		return v, nil
	}
	live, err := s.d.State.GetJourneyVersion(ctx, j.ID, j.LiveVersion)
	if err != nil {
		return v, err
	}
	v.Live, v.PublishedAt = live.Definition, &live.PublishedAt
	v.UnpublishedChanges = !sameJSON(j.Draft, live.Definition)
	return v, nil
}

func (s *Server) getJourney(w http.ResponseWriter, r *http.Request) error {
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	v, err := s.journeyView(r.Context(), j)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) updateJourney(w http.ResponseWriter, r *http.Request) error {
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	var req journeyRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	def, err := req.parse()
	if err != nil {
		return err
	}
	if err := checkJourneyID(def, j.ID); err != nil {
		return err
	}
	now := s.now()
	err = s.d.State.UpdateJourneyDraft(r.Context(), j.ID, def.Name, def.JSON(), now)
	if errors.Is(err, store.ErrNotFound) {
		return apiErr(CodeNotFound, "journey %q disappeared while being updated", j.ID)
	}
	if err != nil {
		return err
	}
	j.Name, j.Draft, j.UpdatedAt = def.Name, def.JSON(), now
	s.auditf(r, "journey.update", j.ID, "name=%s", j.Name)
	v, err := s.journeyView(r.Context(), j)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// sameJSON reports whether two JSON texts are equal ignoring insignificant space.
func sameJSON(a, b json.RawMessage) bool {
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

// bodyProfile resolves a profile reference sent in a request body (field
// names it), exactly like the {ref} of the profile endpoints.
func (s *Server) bodyProfile(ctx context.Context, field, ref string) (string, error) {
	id, err := profile.Resolve(ctx, s.d.State, ref, s.d.Normalize)
	switch {
	case errors.Is(err, profile.ErrBadRef):
		return "", badField(field, "%v", err)
	case errors.Is(err, store.ErrNotFound):
		e := apiErr(CodeNotFound, "no profile matches %q (use type:value such as email:pia@nto.example, or a profile id)", strings.TrimSpace(ref))
		e.Field = field
		return "", e
	}
	return id, err
}

// dependencyErr classifies an error of Journeys or Messaging (see
// ErrInvalidInput): invalid is the code of a request the dependency
// refused; an unclassified error is wrapped with what was being done.
func dependencyErr(err error, invalid, doing string) error {
	var ae *Error
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.Is(err, ErrInvalidInput):
		return &Error{Code: invalid, Message: err.Error(), err: err}
	case errors.Is(err, store.ErrNotFound):
		return &Error{Code: CodeNotFound, Message: err.Error(), err: err}
	}
	return fmt.Errorf("%s: %w", doing, err)
}
