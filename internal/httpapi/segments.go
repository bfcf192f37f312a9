package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// SegmentStatus is reported for a saved segment whose membership is not
// computed live (see SegmentStatusLive).
const SegmentStatus = "defined"

// segmentRequest is the body of POST /v1/segments, PUT /v1/segments/{id}
// and POST /v1/segments/preview: exactly one of definition, text, yaml.
type segmentRequest struct {
	Name        string          `json:"name"`
	Description *string         `json:"description,omitempty"`
	Definition  json.RawMessage `json:"definition,omitempty"`
	Text        *string         `json:"text,omitempty"`
	YAML        *string         `json:"yaml,omitempty"`
}

// segmentView is a segment as the API returns it.
type segmentView struct {
	store.Segment
	Status string `json:"status"`
}

// parseDefinition parses the one definition form the request carries.
func (req *segmentRequest) parseDefinition() (*segment.Definition, error) {
	forms := 0
	for _, set := range []bool{len(req.Definition) > 0, req.Text != nil, req.YAML != nil} {
		if set {
			forms++
		}
	}
	if forms != 1 {
		return nil, badField("definition", "send exactly one of definition (a JSON object), text (the text form) or yaml (a YAML string); got %d", forms)
	}
	var (
		def  *segment.Definition
		err  error
		form = "definition"
	)
	switch {
	case req.Text != nil:
		form = "text"
		def, err = segment.ParseText(*req.Text)
	case req.YAML != nil:
		form = "yaml"
		def, err = segment.ParseYAML([]byte(*req.YAML))
	default:
		if req.Definition[0] != '{' {
			return nil, badField("definition", "definition must be a JSON object such as {\"everyone\":true}; to send the text form use \"text\"")
		}
		def, err = segment.ParseJSON(req.Definition)
	}
	if err != nil {
		return nil, definitionErr(form, err)
	}
	return def, nil
}

// definitionErr renders a segment validation error as bad_request whose
// field is the node path under "definition" (definition.and[2].performed.window),
// or "text" with the line and column for a text syntax error.
func definitionErr(form string, err error) error {
	var ve *segment.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	msg := ve.Msg
	if ve.Hint != "" {
		msg += "; " + ve.Hint
	}
	field := ve.Path
	switch {
	case field == "conditions" || strings.HasPrefix(field, "conditions."):
		field = "definition" + strings.TrimPrefix(field, "conditions")
	case strings.HasPrefix(field, "text "):
		line, col, _ := strings.Cut(strings.TrimPrefix(field, "text "), ":")
		msg = "line " + line + ", column " + col + ": " + msg
		field = "text"
	default:
		field = form
	}
	if form == "yaml" && field == "definition" && strings.HasPrefix(ve.Msg, "not valid YAML") {
		field = "yaml"
	}
	return badField(field, "%s", msg)
}

// segmentIndex resolves in_segment references over the live stored
// segments, parsing each definition at most once.
type segmentIndex struct {
	stored map[string]store.Segment
	parsed map[string]*segment.Definition
}

func (s *Server) segmentIndex(r *http.Request) (*segmentIndex, error) {
	list, err := s.d.State.ListSegments(r.Context())
	if err != nil {
		return nil, err
	}
	x := &segmentIndex{stored: make(map[string]store.Segment, len(list)), parsed: map[string]*segment.Definition{}}
	for _, seg := range list {
		x.stored[seg.ID] = seg
	}
	return x, nil
}

func (x *segmentIndex) lookup(id string) (*segment.Definition, bool) {
	if d, ok := x.parsed[id]; ok {
		return d, d != nil
	}
	seg, ok := x.stored[id]
	if !ok {
		return nil, false
	}
	d, err := segment.ParseJSON(seg.Definition)
	if err != nil {
		d = nil // a stored definition this version cannot read counts as unknown
	}
	x.parsed[id] = d
	return d, d != nil
}

// checkSegment validates the references of def, to be saved as id.
func (s *Server) checkSegment(r *http.Request, id string, def *segment.Definition) (*segmentIndex, error) {
	x, err := s.segmentIndex(r)
	if err != nil {
		return nil, err
	}
	if err := segment.CheckReferences(id, def, x.lookup); err != nil {
		return nil, definitionErr("definition", err)
	}
	return x, nil
}

// now is the server clock at the stores' precision (microseconds).
func (s *Server) now() time.Time { return s.d.Clock.Now().Truncate(time.Microsecond) }

func segmentConflict(err error, name string) error {
	if errors.Is(err, store.ErrConflict) {
		return apiErr(CodeConflict, "a segment named %q already exists; pick another name", name)
	}
	return err
}

func (s *Server) createSegment(w http.ResponseWriter, r *http.Request) error {
	var req segmentRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	req.Name = strings.TrimSpace(req.Name)
	if req.Name == "" {
		return badField("name", "name is required, e.g. \"Recent buyers\"")
	}
	def, err := req.parseDefinition()
	if err != nil {
		return err
	}
	description := ""
	if req.Description != nil {
		description = *req.Description
	}
	seg, err := s.saveSegment(r, req.Name, description, def)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, segmentView{Segment: seg, Status: s.segmentStatus(seg.ID)})
	return nil
}

// saveSegment checks and stores a new segment, audits it and starts its
// live evaluation.
func (s *Server) saveSegment(r *http.Request, name, description string, def *segment.Definition) (store.Segment, error) {
	id := s.d.NewID("seg")
	if _, err := s.checkSegment(r, id, def); err != nil {
		return store.Segment{}, err
	}
	seg := store.Segment{ID: id, Name: name, Description: description, Definition: def.JSON(), Text: def.Text(), CreatedAt: s.now()}
	seg, err := s.d.State.CreateSegment(r.Context(), seg)
	if err != nil {
		return store.Segment{}, segmentConflict(err, name)
	}
	s.auditf(r, "segment.create", seg.ID, "name=%s", seg.Name)
	s.reloadSegments(r, seg.ID)
	return seg, nil
}

func (s *Server) listSegments(w http.ResponseWriter, r *http.Request) error {
	list, err := s.d.State.ListSegments(r.Context())
	if err != nil {
		return err
	}
	out := make([]segmentDetail, len(list))
	for i, seg := range list {
		if out[i], err = s.detail(r.Context(), seg); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"segments": out})
	return nil
}

// liveSegment loads the {id} segment, 404 when unknown or deleted.
func (s *Server) liveSegment(r *http.Request) (store.Segment, error) {
	id := r.PathValue("id")
	seg, err := s.d.State.GetSegment(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return seg, apiErr(CodeNotFound, "no segment with id %q; list them with GET /v1/segments", id)
	}
	if err != nil {
		return seg, err
	}
	if seg.DeletedAt != nil {
		return seg, apiErr(CodeNotFound, "segment %q was deleted at %s", id, seg.DeletedAt.Format(time.RFC3339))
	}
	return seg, nil
}

func (s *Server) updateSegment(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.liveSegment(r)
	if err != nil {
		return err
	}
	var req segmentRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	def, err := req.parseDefinition()
	if err != nil {
		return err
	}
	if _, err := s.checkSegment(r, cur.ID, def); err != nil {
		return err
	}
	next := store.Segment{ID: cur.ID, Name: strings.TrimSpace(req.Name), Description: cur.Description,
		Definition: def.JSON(), Text: def.Text(), UpdatedAt: s.now()}
	if next.Name == "" {
		next.Name = cur.Name
	}
	if req.Description != nil {
		next.Description = *req.Description
	}
	seg, err := s.d.State.UpdateSegment(r.Context(), next)
	if errors.Is(err, store.ErrNotFound) {
		return apiErr(CodeNotFound, "segment %q was deleted while being updated", cur.ID)
	}
	if err != nil {
		return segmentConflict(err, next.Name)
	}
	s.auditf(r, "segment.update", seg.ID, "version=%d", seg.Version)
	s.reloadSegments(r, seg.ID)
	writeJSON(w, http.StatusOK, segmentView{Segment: seg, Status: s.segmentStatus(seg.ID)})
	return nil
}

func (s *Server) deleteSegment(w http.ResponseWriter, r *http.Request) error {
	seg, err := s.liveSegment(r)
	if err != nil {
		return err
	}
	x, err := s.segmentIndex(r)
	if err != nil {
		return err
	}
	var users []string
	for id := range x.stored {
		if d, ok := x.lookup(id); ok {
			for _, ref := range d.References() {
				if ref.ID == seg.ID {
					users = append(users, id)
					break
				}
			}
		}
	}
	if len(users) > 0 {
		slices.Sort(users)
		return apiErr(CodeConflict, "segment %s is used through in_segment by %s; remove those references first", seg.ID, strings.Join(users, ", "))
	}
	err = s.d.State.DeleteSegment(r.Context(), seg.ID, s.now())
	if err != nil && !errors.Is(err, store.ErrNotFound) { // deleted concurrently: the outcome is the same
		return err
	}
	s.auditf(r, "segment.delete", seg.ID, "name=%s", seg.Name)
	s.reloadSegments(r, seg.ID)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) segmentVersions(w http.ResponseWriter, r *http.Request) error {
	seg, err := s.liveSegment(r)
	if err != nil {
		return err
	}
	vs, err := s.d.State.SegmentVersions(r.Context(), seg.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"segment_id": seg.ID, "versions": vs})
	return nil
}
