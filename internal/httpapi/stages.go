package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Stages is the lifecycle stage engine (the processor): it recomputes every
// profile's stage after the model changed.
type Stages interface {
	ReloadStages(ctx context.Context) error
}

// stagePath is the computed trait holding a profile's stage.
const stagePath = "lifecycle_stage"

// maxStages bounds a model's length; stage names are at most maxStageName bytes.
const (
	maxStages    = 64
	maxStageName = 64
)

// stagesRequest is the body of PUT /v1/stages.
type stagesRequest struct {
	Stages  []store.Stage `json:"stages"`
	Default string        `json:"default"`
}

// getStages is GET /v1/stages: the active model.
func (s *Server) getStages(w http.ResponseWriter, r *http.Request) error {
	m, err := s.d.State.GetStageModel(r.Context(), store.StageModelDefault)
	if errors.Is(err, store.ErrNotFound) {
		return apiErr(CodeNotFound, "no stage model is defined; create one with PUT /v1/stages")
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// putStages is PUT /v1/stages: saves a new version of the model and
// recomputes the stage of every profile.
func (s *Server) putStages(w http.ResponseWriter, r *http.Request) error {
	var req stagesRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := s.checkStages(r, &req); err != nil {
		return err
	}
	m, err := s.d.State.PutStageModel(r.Context(), store.StageModel{ID: store.StageModelDefault, Stages: req.Stages,
		Default: req.Default, UpdatedAt: s.now()})
	if err != nil {
		return err
	}
	s.auditf(r, "stages.put", m.ID, "version=%d", m.Version)
	if s.d.Stages != nil {
		if err := s.d.Stages.ReloadStages(context.WithoutCancel(r.Context())); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// checkStages validates a model: names present, unique and short, every
// segment existing and not deleted.
func (s *Server) checkStages(r *http.Request, req *stagesRequest) error {
	req.Default = strings.TrimSpace(req.Default)
	if req.Default == "" || len(req.Default) > maxStageName {
		return badField("default", "default is the stage of a profile in no stage's segment, e.g. \"awareness\" (1 to %d bytes)", maxStageName)
	}
	if len(req.Stages) == 0 || len(req.Stages) > maxStages {
		return badField("stages", "stages must list 1 to %d stages, each {\"name\":\"purchase\",\"segment_id\":\"seg_…\"}, most specific first", maxStages)
	}
	seen := map[string]bool{}
	for i := range req.Stages {
		st := &req.Stages[i]
		st.Name = strings.TrimSpace(st.Name)
		field := "stages[" + strconv.Itoa(i) + "]"
		if st.Name == "" || len(st.Name) > maxStageName {
			return badField(field+".name", "name is required (1 to %d bytes), e.g. \"retention\"", maxStageName)
		}
		if seen[st.Name] {
			return badField(field+".name", "stage %q appears twice; stage names are unique", st.Name)
		}
		seen[st.Name] = true
		if st.SegmentID == "" {
			return badField(field+".segment_id", "segment_id is required: the id of the segment whose members are in stage %q", st.Name)
		}
		seg, err := s.d.State.GetSegment(r.Context(), st.SegmentID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && seg.DeletedAt != nil) {
			return badField(field+".segment_id", "no segment with id %q; create it with POST /v1/segments or list them with GET /v1/segments", st.SegmentID)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// stageCount is one row of the stage report.
type stageCount struct {
	Stage    string `json:"stage"`
	Profiles int64  `json:"profiles"`
}

// stageReportPage is how many profiles one lookup of the report reads.
const stageReportPage = 5000

// stagesReport is GET /v1/stages/report: profiles per stage, in model
// order then the default, read from the computed trait.
func (s *Server) stagesReport(w http.ResponseWriter, r *http.Request) error {
	m, err := s.d.State.GetStageModel(r.Context(), store.StageModelDefault)
	if errors.Is(err, store.ErrNotFound) {
		return apiErr(CodeNotFound, "no stage model is defined; create one with PUT /v1/stages")
	}
	if err != nil {
		return err
	}
	names := make([]string, 0, len(m.Stages)+1)
	for _, st := range m.Stages {
		names = append(names, st.Name)
	}
	if !slices.Contains(names, m.Default) {
		names = append(names, m.Default)
	}
	out := make([]stageCount, 0, len(names))
	for _, name := range names {
		v, _ := json.Marshal(name) // a string always encodes
		var n int64
		after := ""
		for {
			page, err := s.d.State.FindProfiles(r.Context(), stagePath, v, after, stageReportPage)
			if err != nil {
				return err
			}
			n += int64(len(page))
			if len(page) < stageReportPage {
				break
			}
			after = page[len(page)-1].ID
		}
		out = append(out, stageCount{Stage: name, Profiles: n})
	}
	writeJSON(w, http.StatusOK, map[string]any{"model_version": m.Version, "stages": out})
	return nil
}
