package httpapi

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Segments is the live segment engine (the processor): it recomputes
// memberships after a definition changes and tells which segments are live.
type Segments interface {
	// Reload rebuilds the live index; changedID (created, updated or
	// deleted) is cleared and, when live, recomputed for every profile.
	Reload(ctx context.Context, changedID string) error
	SegmentLive(id string) bool
	// BackfillProgress reports a segment's backfill over the stored
	// profiles: done, total at its start, and whether it still runs.
	BackfillProgress(id string) (done, total int64, running bool)
}

// Segment statuses reported by the API.
const (
	SegmentStatusLive = "live" // membership is kept up to date as events arrive and time passes
	// SegmentStatusBackfilling: live for new events, and still being
	// computed over the stored profiles (see backfill.percent).
	SegmentStatusBackfilling = "backfilling"
)

// segmentStatus is "live" when the engine keeps the segment's membership,
// else SegmentStatus ("defined": saved, previewable, not computed — it uses
// message/subscription, or no engine runs).
func (s *Server) segmentStatus(id string) string {
	if s.d.Segments != nil && s.d.Segments.SegmentLive(id) {
		return SegmentStatusLive
	}
	return SegmentStatus
}

// reloadSegments tells the engine a definition changed. The definition is
// already saved, so a failure is logged rather than failing the request;
// the segment then reports status "defined".
func (s *Server) reloadSegments(r *http.Request, id string) {
	if s.d.Segments == nil {
		return
	}
	if err := s.d.Segments.Reload(context.WithoutCancel(r.Context()), id); err != nil {
		s.d.Logger.Error("recompute segment", slog.String("segment", id), slog.Any("error", err))
	}
}

// segmentDetail is GET /v1/segments/{id}: the view plus, when live, its size.
type segmentDetail struct {
	segmentView
	Size     *int64        `json:"size,omitempty"`
	Backfill *backfillView `json:"backfill,omitempty"`
}

// backfillView is a running backfill's progress.
type backfillView struct {
	Done    int64   `json:"done"`
	Total   int64   `json:"total"`
	Percent float64 `json:"percent"`
}

func (s *Server) getSegment(w http.ResponseWriter, r *http.Request) error {
	seg, err := s.liveSegment(r)
	if err != nil {
		return err
	}
	out, err := s.detail(r.Context(), seg)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// detail is a segment with its status and, when live, its size and any
// backfill's progress.
func (s *Server) detail(ctx context.Context, seg store.Segment) (segmentDetail, error) {
	out := segmentDetail{segmentView: segmentView{Segment: seg, Status: s.segmentStatus(seg.ID)}}
	if out.Status != SegmentStatusLive {
		return out, nil
	}
	n, err := s.d.State.CountSegmentMembers(ctx, seg.ID)
	if err != nil {
		return out, fmt.Errorf("count members of %s: %w", seg.ID, err)
	}
	out.Size = &n
	if done, total, running := s.d.Segments.BackfillProgress(seg.ID); running {
		pct := 100.0
		if total > 0 {
			pct = min(100, float64(done)*100/float64(total))
		}
		out.Status, out.Backfill = SegmentStatusBackfilling, &backfillView{Done: done, Total: total, Percent: pct}
	}
	return out, nil
}

// segmentMembers is GET /v1/segments/{id}/members?cursor=&limit=: members
// ordered by profile id; next_cursor continues (empty at the end).
func (s *Server) segmentMembers(w http.ResponseWriter, r *http.Request) error {
	seg, err := s.liveSegment(r)
	if err != nil {
		return err
	}
	if s.segmentStatus(seg.ID) != SegmentStatusLive {
		return apiErr(CodeConflict, "segment %s is not live (status %q): it uses message or subscription conditions, or references such a segment; preview it with POST /v1/segments/preview", seg.ID, SegmentStatus)
	}
	limit, err := intParam(r, "limit", 100, 1000)
	if err != nil {
		return err
	}
	rows, err := s.d.State.SegmentMembers(r.Context(), seg.ID, r.URL.Query().Get("cursor"), limit+1)
	if err != nil {
		return err
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[len(rows)-1].ProfileID
	}
	size, err := s.d.State.CountSegmentMembers(r.Context(), seg.ID)
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []store.SegmentMember{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"segment_id": seg.ID, "version": seg.Version, "size": size,
		"members": rows, "next_cursor": next})
	return nil
}

// profileSegment is a membership with the segment's name.
type profileSegment struct {
	store.SegmentMember
	Name string `json:"name"`
}

// profileSegments is GET /v1/profiles/{ref}/segments: the live segments the
// profile is a member of, named.
func (s *Server) profileSegments(w http.ResponseWriter, r *http.Request) error {
	id, err := s.profileRef(r)
	if err != nil {
		return err
	}
	rows, err := s.d.State.ProfileSegments(r.Context(), id)
	if err != nil {
		return err
	}
	segs, err := s.d.State.ListSegments(r.Context())
	if err != nil {
		return fmt.Errorf("list segments: %w", err)
	}
	names := make(map[string]string, len(segs))
	for _, seg := range segs {
		names[seg.ID] = seg.Name
	}
	out := make([]profileSegment, len(rows))
	for i, m := range rows {
		out[i] = profileSegment{SegmentMember: m, Name: cmp.Or(names[m.SegmentID], m.SegmentID)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"profile_id": id, "segments": out})
	return nil
}
