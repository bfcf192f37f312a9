package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// errNoEngine answers the routes that need the running journey engine.
func errNoEngine(what string) error {
	return apiErr(CodeJourneysUnavailable,
		"the journey engine is not running on this server, so journeys cannot be %s; they can still be saved and validated", what)
}

// checkDraft parses j's draft and validates it with the engine's
// references (structure only without an engine; checked reports which).
// Problems are a 422 listing every one.
func (s *Server) checkDraft(ctx context.Context, j store.Journey) (def *journey.Definition, checked bool, err error) {
	def, err = journey.ParseJSON(j.Draft)
	if err != nil {
		return nil, false, problemsErr(CodeJourneyInvalid, "draft", err)
	}
	var refs journey.Refs
	if s.d.Journeys != nil {
		if refs, err = s.d.Journeys.Refs(ctx); err != nil {
			return nil, false, fmt.Errorf("load references to validate journey %s: %w", j.ID, err)
		}
	}
	if err := def.Validate(refs); err != nil {
		return nil, false, problemsErr(CodeJourneyInvalid, "draft", err)
	}
	return def, refs != nil, nil
}

// validateJourney is POST /v1/journeys/{id}/validate: the full check of the
// saved draft that publishing would run.
func (s *Server) validateJourney(w http.ResponseWriter, r *http.Request) error {
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	_, checked, err := s.checkDraft(r.Context(), j)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"valid": true, "references_checked": checked})
	return nil
}

// publishResult is the body of a successful publish.
type publishResult struct {
	JourneyID string `json:"journey_id"`
	Version   int    `json:"version"`
	Previous  int    `json:"previous_version,omitempty"`
	// Unchanged is true when the draft equals the live version, which stays live.
	Unchanged bool        `json:"unchanged,omitempty"`
	Diff      journeyDiff `json:"diff"`
	// Migrated counts the instances of older versions moved onto this one
	// (publish with {"migrate": {...}}).
	Migrated *int `json:"migrated,omitempty"`
}

func (s *Server) publishJourney(w http.ResponseWriter, r *http.Request) error {
	if s.d.Journeys == nil {
		return errNoEngine("published")
	}
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	def, _, err := s.checkDraft(r.Context(), j)
	if err != nil {
		return err
	}
	// Optional body: {"migrate": {"old node id": "new node id"}} moves the
	// instances waiting at those nodes of older versions onto the new one.
	var opts struct {
		Migrate json.RawMessage `json:"migrate"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &opts); err != nil {
			return err
		}
	}
	nodes, err := journey.ParseMigration(opts.Migrate)
	if err != nil {
		return badField("migrate", "%v", err)
	}
	for old, nw := range nodes {
		if _, ok := def.Node(nw); !ok {
			return badField("migrate", "node %q (for %q) is not in the draft being published", nw, old)
		}
	}
	prev := &journey.Definition{}
	if j.LiveVersion > 0 {
		v, err := s.d.State.GetJourneyVersion(r.Context(), j.ID, j.LiveVersion)
		if err != nil {
			return err
		}
		if prev, err = journey.ParseJSON(v.Definition); err != nil {
			prev = &journey.Definition{} // a version this build cannot read: diff against nothing
		}
	}
	canon := def.JSON()
	if j.Status == store.JourneyLive && j.LiveVersion > 0 && sameJSON(canon, prev.JSON()) {
		writeJSON(w, http.StatusOK, publishResult{JourneyID: j.ID, Version: j.LiveVersion, Previous: j.LiveVersion,
			Unchanged: true, Diff: diffJourneys(prev, def)})
		return nil
	}
	n, err := s.d.State.PublishJourney(r.Context(), j.ID, canon, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return apiErr(CodeNotFound, "journey %q disappeared while being published", j.ID)
	}
	if err != nil {
		return err
	}
	s.auditf(r, "journey.publish", j.ID, "version=%d", n)
	if err := s.d.Journeys.Reload(r.Context()); err != nil {
		return fmt.Errorf("reload journeys after publishing %s version %d: %w", j.ID, n, err)
	}
	res := publishResult{JourneyID: j.ID, Version: n, Previous: j.LiveVersion, Diff: diffJourneys(prev, def)}
	if len(nodes) > 0 {
		moved, err := s.d.Journeys.Migrate(r.Context(), j.ID, nodes)
		if err != nil {
			return fmt.Errorf("%w: migrate instances of %s: %w", ErrInvalidInput, j.ID, err)
		}
		res.Migrated = &moved
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// statusResult is the body of pause, resume and stop.
type statusResult struct {
	JourneyID   string `json:"journey_id"`
	Status      string `json:"status"`
	LiveVersion int    `json:"live_version"`
}

// setStatus stores status for j and reloads the engine (when there is one).
func (s *Server) setStatus(w http.ResponseWriter, r *http.Request, j store.Journey, status, action string) error {
	if j.Status != status {
		err := s.d.State.SetJourneyStatus(r.Context(), j.ID, status, s.now())
		if errors.Is(err, store.ErrNotFound) {
			return apiErr(CodeNotFound, "journey %q disappeared while being changed", j.ID)
		}
		if err != nil {
			return err
		}
		s.auditf(r, "journey."+action, j.ID, "from=%s", j.Status)
		if s.d.Journeys != nil {
			if err := s.d.Journeys.Reload(r.Context()); err != nil {
				return fmt.Errorf("reload journeys after %s of %s: %w", action, j.ID, err)
			}
		}
	}
	writeJSON(w, http.StatusOK, statusResult{JourneyID: j.ID, Status: status, LiveVersion: j.LiveVersion})
	return nil
}

// pauseJourney stops new entries; instances hold where they are.
func (s *Server) pauseJourney(w http.ResponseWriter, r *http.Request) error {
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	if j.Status != store.JourneyLive && j.Status != store.JourneyPaused {
		return apiErr(CodeConflict, "journey %s is %s; only a live journey can be paused", j.ID, j.Status)
	}
	return s.setStatus(w, r, j, store.JourneyPaused, "pause")
}

// resumeJourney makes a published journey live again.
func (s *Server) resumeJourney(w http.ResponseWriter, r *http.Request) error {
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	if j.LiveVersion == 0 {
		return apiErr(CodeConflict, "journey %s was never published; publish it with POST /v1/journeys/%s/publish", j.ID, j.ID)
	}
	return s.setStatus(w, r, j, store.JourneyLive, "resume")
}

// stopJourney ends a journey: no entries, every active instance ejected.
func (s *Server) stopJourney(w http.ResponseWriter, r *http.Request) error {
	if s.d.Journeys == nil {
		return errNoEngine("stopped")
	}
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	if j.LiveVersion == 0 {
		return apiErr(CodeConflict, "journey %s was never published; there is nothing to stop", j.ID)
	}
	if j.Status != store.JourneyStopped {
		err := s.d.State.SetJourneyStatus(r.Context(), j.ID, store.JourneyStopped, s.now())
		if errors.Is(err, store.ErrNotFound) {
			return apiErr(CodeNotFound, "journey %q disappeared while being stopped", j.ID)
		}
		if err != nil {
			return err
		}
		s.auditf(r, "journey.stop", j.ID, "from=%s", j.Status)
	}
	// Stop again when already stopped: it ejects any instance a crash left behind.
	if err := s.d.Journeys.Stop(r.Context(), j.ID); err != nil {
		return fmt.Errorf("stop instances of journey %s: %w", j.ID, err)
	}
	writeJSON(w, http.StatusOK, statusResult{JourneyID: j.ID, Status: store.JourneyStopped, LiveVersion: j.LiveVersion})
	return nil
}

// entryRequest is the body of POST /v1/journeys/{id}/entries.
type entryRequest struct {
	Profile    string         `json:"profile"`
	Properties map[string]any `json:"properties,omitempty"`
}

// enterJourney enters one profile into a live journey with an API entry.
func (s *Server) enterJourney(w http.ResponseWriter, r *http.Request) error {
	if s.d.Journeys == nil {
		return errNoEngine("entered")
	}
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	var req entryRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if j.Status != store.JourneyLive {
		return apiErr(CodeConflict, "journey %s is %s; it takes entries only while live", j.ID, j.Status)
	}
	pid, err := s.bodyProfile(r.Context(), "profile", req.Profile)
	if err != nil {
		return err
	}
	id, err := s.d.Journeys.Enter(r.Context(), j.ID, pid, req.Properties)
	if err != nil {
		return dependencyErr(err, CodeInvalid, "enter "+pid+" into journey "+j.ID)
	}
	if id == "" {
		writeJSON(w, http.StatusOK, map[string]any{"entered": false, "reason": "re-entry policy", "profile_id": pid})
		return nil
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"entered": true, "instance_id": id, "profile_id": pid})
	return nil
}
