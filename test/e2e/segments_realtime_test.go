package e2e

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Bounds of the real-time segment test. The window is short so the test
// takes seconds; the exit must be seen within exitTolerance of its instant
// (the precision target of real-time segments).
const (
	rtWindow      = 5 * time.Second
	rtEventAge    = 3 * time.Second // the member's event is this old when sent: it leaves rtWindow-rtEventAge later
	rtStaleAge    = 10 * time.Second
	exitTolerance = time.Second
	watchInterval = 50 * time.Millisecond
)

// segmentEvent is a Segment Entered / Segment Exited entry of a timeline.
type segmentEvent struct {
	Seq     int64  `json:"seq"`
	Event   string `json:"event"`
	Payload struct {
		Timestamp  time.Time `json:"timestamp"`
		Properties struct {
			ProfileID string    `json:"profile_id"`
			SegmentID string    `json:"segment_id"`
			Version   int       `json:"version"`
			Reason    string    `json:"reason"`
			At        time.Time `json:"at"`
		} `json:"properties"`
	} `json:"payload"`
}

// TestSegmentWindowExitRealClock runs `performed "Trial Started" within 5s`
// on the real clock: a profile whose event is 3 s old when sent enters, and
// must leave at exactly event time + 5 s with no new event (a durable timer),
// seen through the API no earlier than that instant and at most
// exitTolerance after it; a profile whose event is already outside the
// window never enters.
func TestSegmentWindowExitRealClock(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	key := s.createSource("rt-web", "web")

	var seg struct {
		ID     string `json:"id"`
		Text   string `json:"text"`
		Status string `json:"status"`
	}
	s.apiJSON(http.MethodPost, "/v1/segments", map[string]string{
		"name": "Trial started recently", "text": `performed "Trial Started" within 5s`,
	}, http.StatusCreated, &seg)
	require.Equal(t, "live", seg.Status, "segment %s must be computed live", seg.ID)

	n := rand.Uint64N(1e12)
	inUser, staleUser := fmt.Sprintf("rt-in-%012d", n), fmt.Sprintf("rt-stale-%012d", n)
	inRef, staleRef := "user_id:"+inUser, "user_id:"+staleUser
	// Millisecond timestamps: the instants the test computes are exactly the ones sent.
	sent := time.Now().UTC().Truncate(time.Millisecond)
	evAt := sent.Add(-rtEventAge)
	exitAt := evAt.Add(rtWindow)
	s.mustBatch(key,
		map[string]any{
			"type": "track", "messageId": "rt-in-1", "userId": inUser, "event": "Trial Started",
			"timestamp": evAt.Format(time.RFC3339Nano),
		},
		map[string]any{
			"type": "track", "messageId": "rt-stale-1", "userId": staleUser, "event": "Trial Started",
			"timestamp": sent.Add(-rtStaleAge).Format(time.RFC3339Nano),
		},
	)

	// The stale profile is checked at every look: it must never be a member.
	staleNeverIn := func() {
		t.Helper()
		if _, in := s.segmentsOf(staleRef)[seg.ID]; in {
			t.Fatalf("%s (event %s before sending, outside the %s window) is a member of %s", staleRef, rtStaleAge, rtWindow, seg.ID)
		}
	}

	entered := watch(t, s, exitAt.Sub(time.Now()), "the member to enter before its exit instant", func() (bool, string) {
		staleNeverIn()
		got := s.segmentsOf(inRef)
		_, in := got[seg.ID]
		return in, fmt.Sprintf("segments of %s: %v", inRef, got)
	})
	require.Less(t, entered, exitAt, "the membership must be seen before the window closes")
	var members struct {
		Size    int64 `json:"size"`
		Members []struct {
			ProfileID string `json:"profile_id"`
		} `json:"members"`
	}
	s.apiJSON(http.MethodGet, "/v1/segments/"+seg.ID+"/members", nil, http.StatusOK, &members)
	inProfile := s.mustProfile(inRef)
	require.EqualValues(t, 1, members.Size, "members of %s while the window is open: %+v", seg.ID, members.Members)
	require.Equal(t, inProfile.ID, members.Members[0].ProfileID)

	// left is when the first "not a member" answer arrived: the exit happened
	// at or before it (so it bounds the delay from above) and, if left were
	// before exitAt, the exit would have come early.
	left := watch(t, s, exitAt.Add(exitTolerance+2*time.Second).Sub(time.Now()), "the member to leave", func() (bool, string) {
		staleNeverIn()
		got := s.segmentsOf(inRef)
		_, in := got[seg.ID]
		return !in, fmt.Sprintf("segments of %s: %v", inRef, got)
	})
	delay := left.Sub(exitAt)
	t.Logf("event at %s, exit due %s, first seen out %s: delay %s (entered seen %s after sending)",
		evAt.Format(time.RFC3339Nano), exitAt.Format(time.RFC3339Nano), left.Format(time.RFC3339Nano), delay, entered.Sub(sent))
	require.GreaterOrEqual(t, delay, time.Duration(0), "the member left %s before event time + %s", -delay, rtWindow)
	require.LessOrEqual(t, delay, exitTolerance, "the member left %s after event time + %s; want at most %s", delay, rtWindow, exitTolerance)
	staleNeverIn()

	// The timeline shows the transitions, in order, with their instants: the
	// entry when the event was processed, the exit at exactly exitAt.
	var trans []segmentEvent
	poll(t, catchUpTimeout, s.exited, "Segment Entered and Segment Exited on the timeline of "+inRef, func() (bool, string) {
		trans = s.segmentTimeline(inRef, seg.ID)
		return len(trans) >= 2, fmt.Sprintf("%d transitions: %+v", len(trans), trans)
	})
	require.Len(t, trans, 2, "transitions of %s: %+v", inRef, trans)
	in, out := trans[0], trans[1]
	require.Equal(t, "Segment Entered", in.Event)
	require.Equal(t, "event", in.Payload.Properties.Reason)
	require.Equal(t, inProfile.ID, in.Payload.Properties.ProfileID)
	require.Less(t, in.Payload.Properties.At, exitAt, "entry instant")
	require.False(t, in.Payload.Properties.At.Before(evAt), "entry instant %s is before the event %s", in.Payload.Properties.At, evAt)
	require.Equal(t, "Segment Exited", out.Event)
	require.Equal(t, "timer", out.Payload.Properties.Reason)
	require.Equal(t, inProfile.ID, out.Payload.Properties.ProfileID)
	require.True(t, out.Payload.Properties.At.Equal(exitAt), "exit instant %s, want event time + %s = %s", out.Payload.Properties.At, rtWindow, exitAt)
	require.True(t, out.Payload.Timestamp.Equal(exitAt), "timestamp of Segment Exited %s, want %s", out.Payload.Timestamp, exitAt)

	// The stale profile was processed (so "never entered" is not vacuous) and has no transition.
	stale := s.mustProfile(staleRef)
	require.EqualValues(t, 1, stale.EventCount)
	require.Empty(t, s.segmentTimeline(staleRef, seg.ID), "transitions of %s", staleRef)
	s.apiJSON(http.MethodGet, "/v1/segments/"+seg.ID+"/members", nil, http.StatusOK, &members)
	require.Zero(t, members.Size, "members of %s after the window closed: %+v", seg.ID, members.Members)
}

// segmentsOf returns the live segments ref is a member of (segment id → since);
// empty while the profile does not exist yet.
func (s *server) segmentsOf(ref string) map[string]time.Time {
	s.t.Helper()
	status, b := s.api(http.MethodGet, "/v1/profiles/"+url.PathEscape(ref)+"/segments", nil)
	if status == http.StatusNotFound {
		return nil
	}
	require.Equal(s.t, http.StatusOK, status, "GET /v1/profiles/%s/segments answered %s", ref, b)
	var body struct {
		Segments []struct {
			SegmentID string    `json:"segment_id"`
			Since     time.Time `json:"since"`
		} `json:"segments"`
	}
	require.NoError(s.t, json.Unmarshal(b, &body), "decode the segments of %s: %s", ref, b)
	out := make(map[string]time.Time, len(body.Segments))
	for _, m := range body.Segments {
		out[m.SegmentID] = m.Since
	}
	return out
}

// segmentTimeline returns the Segment Entered / Exited events of ref for
// segmentID, oldest first.
func (s *server) segmentTimeline(ref, segmentID string) []segmentEvent {
	s.t.Helper()
	var body struct {
		Events []segmentEvent `json:"events"`
	}
	s.apiJSON(http.MethodGet, "/v1/profiles/"+url.PathEscape(ref)+"/events?limit=1000", nil, http.StatusOK, &body)
	var out []segmentEvent
	for _, e := range body.Events {
		if (e.Event == "Segment Entered" || e.Event == "Segment Exited") && e.Payload.Properties.SegmentID == segmentID {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b segmentEvent) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// watch checks cond every watchInterval until it holds and returns when the
// answer that held arrived (wall clock, taken after cond returns). It fails
// the test after timeout or if the server exits.
func watch(t testing.TB, s *server, timeout time.Duration, what string, cond func() (bool, string)) time.Time {
	t.Helper()
	deadline := time.NewTimer(max(timeout, 0))
	defer deadline.Stop()
	tick := time.NewTicker(watchInterval)
	defer tick.Stop()
	for {
		ok, why := cond()
		if ok {
			return time.Now()
		}
		select {
		case <-s.exited:
			t.Fatalf("waiting for %s: the server exited (last: %s)", what, why)
		case <-deadline.C:
			t.Fatalf("waiting for %s: gave up after %s (last: %s)", what, timeout, why)
		case <-tick.C:
		}
	}
}
