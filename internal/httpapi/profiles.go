package httpapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/profile"
	"github.com/cairn-cdp/cairn/internal/store"
)

// profileRef resolves the {ref} path value to a surviving profile id.
func (s *Server) profileRef(r *http.Request) (string, error) {
	ref := r.PathValue("ref")
	id, err := profile.Resolve(r.Context(), s.d.State, ref, s.d.Normalize)
	switch {
	case errors.Is(err, profile.ErrBadRef):
		return "", badField("ref", "%v", err)
	case errors.Is(err, store.ErrNotFound):
		return "", apiErr(CodeNotFound, "no profile matches %q (use type:value such as email:pia@nto.example, or a profile id)", ref)
	}
	return id, err
}

func (s *Server) getProfile(w http.ResponseWriter, r *http.Request) error {
	id, err := s.profileRef(r)
	if err != nil {
		return err
	}
	v, err := profile.Load(r.Context(), s.d.State, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// EventView is one timeline event with its stored payload.
type EventView struct {
	Seq       int64           `json:"seq"`
	Type      string          `json:"type"`
	Event     string          `json:"event,omitempty"`
	Timestamp time.Time       `json:"timestamp"`
	SourceID  string          `json:"source_id"`
	Channel   string          `json:"channel"`
	Payload   json.RawMessage `json:"payload,omitempty"`
}

func (s *Server) profileEvents(w http.ResponseWriter, r *http.Request) error {
	id, err := s.profileRef(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	limit, err := intParam(r, "limit", 50, 1000)
	if err != nil {
		return err
	}
	merged, err := s.d.State.MergedFrom(r.Context(), id)
	if err != nil {
		return err
	}
	tq := store.TimelineQuery{ProfileIDs: append([]string{id}, merged...), Type: q.Get("type"), Event: q.Get("event"), Limit: limit + 1}
	if tq.Since, err = timeParam(q.Get("since"), "since"); err != nil {
		return err
	}
	if tq.Until, err = timeParam(q.Get("until"), "until"); err != nil {
		return err
	}
	if c := q.Get("cursor"); c != "" {
		if tq.CursorTime, tq.CursorSeq, err = decodeCursor(c); err != nil {
			return err
		}
	}
	entries, err := s.d.State.Timeline(r.Context(), tq)
	if err != nil {
		return err
	}
	next := ""
	if len(entries) > limit {
		entries = entries[:limit]
		last := entries[len(entries)-1]
		next = encodeCursor(last.Timestamp, last.Seq)
	}
	seqs := make([]int64, len(entries))
	for i, e := range entries {
		seqs[i] = e.Seq
	}
	bodies, err := s.d.Log.Get(r.Context(), seqs)
	if err != nil {
		return err
	}
	raw := make(map[int64]json.RawMessage, len(bodies))
	for _, b := range bodies {
		raw[b.Seq] = b.Raw
	}
	out := make([]EventView, len(entries))
	for i, e := range entries {
		out[i] = EventView{Seq: e.Seq, Type: e.Type, Event: e.Event, Timestamp: e.Timestamp, SourceID: e.SourceID, Channel: e.Channel, Payload: raw[e.Seq]}
	}
	writeJSON(w, http.StatusOK, map[string]any{"profile_id": id, "events": out, "next_cursor": next})
	return nil
}

func timeParam(v, name string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, badField(name, "%s must be an RFC 3339 time such as 2026-11-01T00:00:00Z, got %q", name, v)
	}
	return t, nil
}

func encodeCursor(t time.Time, seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(t.UnixNano(), 10) + "_" + strconv.FormatInt(seq, 10)))
}

func decodeCursor(c string) (time.Time, int64, error) {
	bad := badField("cursor", "cursor %q is not one this API returned; pass next_cursor back unchanged", c)
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, 0, bad
	}
	ts, seq, ok := strings.Cut(string(b), "_")
	if !ok {
		return time.Time{}, 0, bad
	}
	ns, err1 := strconv.ParseInt(ts, 10, 64)
	n, err2 := strconv.ParseInt(seq, 10, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, 0, bad
	}
	return time.Unix(0, ns).UTC(), n, nil
}

func (s *Server) listProfiles(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit, err := intParam(r, "limit", 50, 1000)
	if err != nil {
		return err
	}
	var path string
	var value json.RawMessage
	for k, vs := range q {
		p, ok := strings.CutPrefix(k, "trait.")
		if !ok {
			continue
		}
		if path != "" {
			return badField(k, "only one trait.<path> filter is supported per request")
		}
		path, value = p, traitValue(vs[0])
	}
	list, err := s.d.State.FindProfiles(r.Context(), path, value, q.Get("cursor"), limit+1)
	if err != nil {
		return err
	}
	next := ""
	if len(list) > limit {
		list = list[:limit]
		next = list[len(list)-1].ID
	}
	out := make([]profileRow, len(list))
	for i, p := range list {
		if out[i], err = s.profileRow(r.Context(), p); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"profiles": out, "next_cursor": next})
	return nil
}

// profileRow is a profile in a list, with what a person recognises it by.
type profileRow struct {
	store.Profile
	Name   string `json:"name,omitempty"`    // traits name, or first_name and last_name
	Email  string `json:"email,omitempty"`   // an email identity
	UserID string `json:"user_id,omitempty"` // a user_id identity
}

func (s *Server) profileRow(ctx context.Context, p store.Profile) (profileRow, error) {
	row := profileRow{Profile: p}
	ids, err := s.d.State.ProfileIdentities(ctx, p.ID)
	if err != nil {
		return row, fmt.Errorf("identities of %s: %w", p.ID, err)
	}
	for _, id := range ids {
		switch {
		case id.Type == "email" && row.Email == "":
			row.Email = id.Value
		case id.Type == "user_id" && row.UserID == "":
			row.UserID = id.Value
		}
	}
	traits, err := s.d.State.ProfileTraits(ctx, p.ID)
	if err != nil {
		return row, fmt.Errorf("traits of %s: %w", p.ID, err)
	}
	var first, last string
	for _, t := range traits {
		var v string
		if json.Unmarshal(t.Value, &v) != nil {
			continue
		}
		switch t.Path {
		case "name":
			row.Name = v
		case "first_name", "firstName":
			first = v
		case "last_name", "lastName":
			last = v
		}
	}
	if row.Name == "" {
		row.Name = strings.TrimSpace(first + " " + last)
	}
	return row, nil
}

// traitValue reads a query value as JSON when it parses as a number, bool
// or quoted string, else as a plain string.
func traitValue(v string) json.RawMessage {
	if json.Valid([]byte(v)) && v != "" && (v[0] == '"' || v == "true" || v == "false" || v == "null" || (v[0] >= '0' && v[0] <= '9') || v[0] == '-') {
		return json.RawMessage(v)
	}
	b, _ := json.Marshal(v)
	return b
}

func (s *Server) profileMerges(w http.ResponseWriter, r *http.Request) error {
	id, err := s.profileRef(r)
	if err != nil {
		return err
	}
	list, err := s.d.State.Merges(r.Context(), id)
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.Merge{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"profile_id": id, "merges": list})
	return nil
}

func (s *Server) eraseProfile(w http.ResponseWriter, r *http.Request) error {
	if s.d.Privacy == nil {
		return apiErr(CodeUnavailable, "erasure is not configured on this server")
	}
	id, err := s.profileRef(r)
	if err != nil {
		return err
	}
	rep, err := s.d.Privacy.Erase(r.Context(), id)
	s.profiles.drop()
	if err != nil {
		return fmt.Errorf("erase profile %s: %w", id, err)
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) exportProfile(w http.ResponseWriter, r *http.Request) error {
	if s.d.Privacy == nil {
		return apiErr(CodeUnavailable, "export is not configured on this server")
	}
	id, err := s.profileRef(r)
	if err != nil {
		return err
	}
	v, err := s.d.Privacy.Export(r.Context(), id)
	if err != nil {
		return fmt.Errorf("export profile %s: %w", id, err)
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", id+".json"))
	writeJSON(w, http.StatusOK, v)
	return nil
}
