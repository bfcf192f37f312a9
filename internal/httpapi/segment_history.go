package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Paging of the members.csv export and the history log scan.
const (
	csvPage     = 1000 // members per SegmentMembers call
	historyPage = 1000 // events per Log.Read call
)

// historyMaxBuckets bounds one history answer.
const historyMaxBuckets = 2000

// The internal source (created by the app) logs Segment Entered/Exited;
// see docs/api.md "Real-time membership". The names are the app's and the
// pipeline's; they are repeated here because httpapi imports neither.
const (
	internalSourceName    = "cairn"
	internalSourceChannel = "server"
	eventSegmentEntered   = "Segment Entered"
	eventSegmentExited    = "Segment Exited"
)

// segmentMembersCSV is GET /v1/segments/{id}/members.csv: every member as
// profile_id,since,version, ordered by profile id, streamed page by page.
func (s *Server) segmentMembersCSV(w http.ResponseWriter, r *http.Request) error {
	seg, err := s.liveMembership(r)
	if err != nil {
		return err
	}
	// The first page is read before the headers so a store error is still a JSON 500.
	rows, err := s.d.State.SegmentMembers(r.Context(), seg.ID, "", csvPage)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+seg.ID+`-members.csv"`)
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	rec := []string{"profile_id", "since", "version"}
	_ = cw.Write(rec)
	var buf []byte
	for {
		for _, m := range rows {
			buf = m.Since.UTC().AppendFormat(buf[:0], time.RFC3339Nano)
			rec[0], rec[1], rec[2] = m.ProfileID, string(buf), strconv.Itoa(m.Version)
			_ = cw.Write(rec) // write errors surface through cw.Error below
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return nil // the client went away; nothing left to tell it
		}
		if len(rows) < csvPage {
			return nil
		}
		after := rows[len(rows)-1].ProfileID
		rows, err = s.d.State.SegmentMembers(r.Context(), seg.ID, after, csvPage)
		if err != nil {
			s.d.Logger.Error("export segment members", slog.String("segment", seg.ID), slog.String("after", after), slog.Any("error", err))
			// The 200 is sent: abort the connection so the client sees a
			// broken transfer, not a short file that looks complete.
			panic(http.ErrAbortHandler)
		}
	}
}

// liveMembership loads the {id} segment and requires it to be live.
func (s *Server) liveMembership(r *http.Request) (store.Segment, error) {
	seg, err := s.liveSegment(r)
	if err != nil {
		return seg, err
	}
	if s.segmentStatus(seg.ID) != SegmentStatusLive {
		return seg, apiErr(CodeConflict, "segment %s is not live (status %q): it uses message or subscription conditions, or references such a segment; preview it with POST /v1/segments/preview", seg.ID, SegmentStatus)
	}
	return seg, nil
}

// historyPoint is one bucket of GET /v1/segments/{id}/history: entries and
// exits at times in [at, at+bucket), and the size when the bucket closes.
type historyPoint struct {
	At      time.Time `json:"at"`
	Size    int64     `json:"size"`
	Entered int64     `json:"entered"`
	Exited  int64     `json:"exited"`
}

// historyView is the answer of GET /v1/segments/{id}/history.
type historyView struct {
	SegmentID string         `json:"segment_id"`
	Version   int            `json:"version"`
	Bucket    string         `json:"bucket"`
	Since     time.Time      `json:"since"` // first bucket start
	Until     time.Time      `json:"until"` // last bucket end
	Size      int64          `json:"size"`  // current size
	History   []historyPoint `json:"history"`
}

// historyRange is a validated history query: n buckets of step from since.
type historyRange struct {
	bucket       string
	step         time.Duration
	since, until time.Time // aligned to step, UTC
	n            int
}

func (s *Server) historyRange(r *http.Request) (historyRange, error) {
	q := r.URL.Query()
	h := historyRange{bucket: q.Get("bucket")}
	switch h.bucket {
	case "", "day":
		h.bucket, h.step = "day", 24*time.Hour
	case "hour":
		h.step = time.Hour
	default:
		return h, badField("bucket", "bucket must be hour or day, got %q", h.bucket)
	}
	since, err := timeParam(q.Get("since"), "since")
	if err != nil {
		return h, err
	}
	until, err := timeParam(q.Get("until"), "until")
	if err != nil {
		return h, err
	}
	if until.IsZero() {
		until = s.now()
	}
	if since.IsZero() {
		since = until.Add(-30 * h.step)
	}
	if !since.Before(until) {
		return h, badField("until", "until (%s) must be after since (%s)", until.Format(time.RFC3339), since.Format(time.RFC3339))
	}
	// Whole UTC hours or days: the zero time is a UTC midnight.
	h.since = since.UTC().Truncate(h.step)
	h.until = until.UTC().Truncate(h.step)
	if h.until.Before(until) {
		h.until = h.until.Add(h.step)
	}
	n := h.until.Sub(h.since) / h.step
	if n > historyMaxBuckets {
		return h, badField("since", "%d %s buckets from since to until; at most %d per request: narrow the range or use bucket=day", n, h.bucket, historyMaxBuckets)
	}
	h.n = int(n)
	return h, nil
}

// versionNet is the net membership change of one segment version: before
// since, per bucket, and at or after until.
type versionNet struct {
	before, after int64
	net           []int64
}

// segmentHistory is GET /v1/segments/{id}/history?bucket=hour|day&since=&until=:
// size over time, derived from the segment's Segment Entered/Exited events.
// It scans the whole log (O(log size)); see docs/api.md.
func (s *Server) segmentHistory(w http.ResponseWriter, r *http.Request) error {
	seg, err := s.liveMembership(r)
	if err != nil {
		return err
	}
	h, err := s.historyRange(r)
	if err != nil {
		return err
	}
	versions, err := s.d.State.SegmentVersions(r.Context(), seg.ID)
	if err != nil {
		return fmt.Errorf("list versions of segment %s: %w", seg.ID, err)
	}
	current, err := s.d.State.CountSegmentMembers(r.Context(), seg.ID)
	if err != nil {
		return fmt.Errorf("count members of segment %s: %w", seg.ID, err)
	}
	points := make([]historyPoint, h.n)
	nets := map[int]*versionNet{}
	if err := s.scanTransitions(r.Context(), seg.ID, h, points, nets); err != nil {
		return err
	}
	fillSizes(points, nets, versions, seg.Version, current, h)
	writeJSON(w, http.StatusOK, historyView{SegmentID: seg.ID, Version: seg.Version, Bucket: h.bucket,
		Since: h.since, Until: h.until, Size: current, History: points})
	return nil
}

// scanTransitions reads the log from the start and counts the segment's
// transitions into points (entered, exited) and nets (per version).
func (s *Server) scanTransitions(ctx context.Context, segID string, h historyRange, points []historyPoint, nets map[int]*versionNet) error {
	src, err := s.internalSourceID(ctx)
	if err != nil || src == "" {
		return err
	}
	needle := []byte(`"segment_id":` + strconv.Quote(segID))
	var props struct {
		Properties struct {
			SegmentID string `json:"segment_id"`
			Version   int    `json:"version"`
		} `json:"properties"`
	}
	for after := int64(0); ; {
		evs, err := s.d.Log.Read(ctx, after, historyPage)
		if err != nil {
			return fmt.Errorf("read the log after %d: %w", after, err)
		}
		if len(evs) == 0 {
			return nil
		}
		after = evs[len(evs)-1].Seq
		for _, e := range evs {
			if e.SourceID != src || (e.Name != eventSegmentEntered && e.Name != eventSegmentExited) ||
				!bytes.Contains(e.Raw, needle) {
				continue
			}
			props.Properties.SegmentID, props.Properties.Version = "", 0
			if err := json.Unmarshal(e.Raw, &props); err != nil {
				return fmt.Errorf("decode segment transition %d: %w", e.Seq, err)
			}
			if props.Properties.SegmentID != segID {
				continue
			}
			vn := nets[props.Properties.Version]
			if vn == nil {
				vn = &versionNet{net: make([]int64, h.n)}
				nets[props.Properties.Version] = vn
			}
			d := int64(1)
			if e.Name == eventSegmentExited {
				d = -1
			}
			switch at := e.Timestamp; {
			case at.Before(h.since):
				vn.before += d
			case !at.Before(h.until):
				vn.after += d
			default:
				i := int(at.Sub(h.since) / h.step)
				vn.net[i] += d
				if d > 0 {
					points[i].Entered++
				} else {
					points[i].Exited++
				}
			}
		}
	}
}

// internalSourceID finds the source the app logs its own events under; ""
// when there is none yet (then nothing was ever emitted).
func (s *Server) internalSourceID(ctx context.Context) (string, error) {
	list, err := s.d.State.ListSources(ctx)
	if err != nil {
		return "", fmt.Errorf("list sources: %w", err)
	}
	for _, src := range list {
		if src.Name == internalSourceName && src.Channel == internalSourceChannel && len(src.Keys) == 0 {
			return src.ID, nil
		}
	}
	return "", nil
}

// fillSizes sets each point's size at its bucket's end E. An edit clears the
// segment without exits and backfills the new version, so the size at E is
// that of the version in force at E: for the current version, the current
// size minus its net changes at or after E (walking back); for an earlier
// one, its net changes before E (it started empty).
func fillSizes(points []historyPoint, nets map[int]*versionNet, versions []store.SegmentVersion, cur int, current int64, h historyRange) {
	cum := map[int][]int64{} // version → prefix sums of net over buckets (cum[i] = net of buckets < i)
	for v, vn := range nets {
		c := make([]int64, h.n+1)
		for i, d := range vn.net {
			c[i+1] = c[i] + d
		}
		cum[v] = c
	}
	vi := -1 // index in versions of the version in force at the bucket end
	for i := range points {
		points[i].At = h.since.Add(time.Duration(i) * h.step)
		end := points[i].At.Add(h.step)
		for vi+1 < len(versions) && versions[vi+1].CreatedAt.Before(end) {
			vi++
		}
		if vi < 0 {
			continue // the segment did not exist yet
		}
		v := versions[vi].Version
		vn, c := nets[v], cum[v]
		switch {
		case vn == nil && v == cur:
			points[i].Size = current
		case vn == nil:
			// an earlier version with no transitions: empty
		case v == cur:
			points[i].Size = current - vn.after - (c[h.n] - c[i+1])
		default:
			points[i].Size = vn.before + c[i+1]
		}
	}
}
