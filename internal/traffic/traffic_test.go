package traffic

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

var (
	t0  = time.Date(2026, 11, 26, 9, 30, 15, 0, time.UTC)
	web = store.Source{ID: "src_web", Name: "nto-web", Channel: "web"}
	pos = store.Source{ID: "src_pos", Name: "nto-pos", Channel: "store"}
)

func ev(msg, name string, raw string) *event.Event {
	return &event.Event{MessageID: msg, Type: event.Track, Name: name, UserID: "u1", Raw: json.RawMessage(raw)}
}

func TestSubscribe(t *testing.T) {
	t.Parallel()
	h := NewHub(time.Hour)
	all, onlyPOS := h.Subscribe(""), h.Subscribe(pos.ID)
	defer all.Close()
	h.Publish(web, []*event.Event{ev("m1", "Product Viewed", `{"event":"Product Viewed"}`), ev("m2", "Order Completed", `{}`)},
		[]bool{false, true}, []store.Rejection{{MessageID: "m3", Reason: "missing_identity", Field: "userId", Detail: "needs userId or anonymousId"}}, t0)
	got := []Item{<-all.C, <-all.C, <-all.C}
	require.Equal(t, Accepted, got[0].Kind)
	require.Equal(t, "Product Viewed", got[0].Event)
	require.Equal(t, "nto-web", got[0].SourceName)
	require.JSONEq(t, `{"event":"Product Viewed"}`, string(got[0].Payload))
	require.Equal(t, Duplicate, got[1].Kind)
	require.Equal(t, Rejected, got[2].Kind)
	require.Equal(t, "userId", got[2].Field)
	require.Empty(t, onlyPOS.C, "another source's events are not sent")

	// A huge payload is cut to an excerpt.
	big := `{"x":"` + strings.Repeat("a", 20000) + `"}`
	h.Publish(pos, []*event.Event{ev("m4", "Big", big)}, nil, nil, t0)
	it := <-onlyPOS.C
	require.True(t, it.Truncated)
	var excerpt string
	require.NoError(t, json.Unmarshal(it.Payload, &excerpt))
	require.Len(t, excerpt, maxPayload)
	<-all.C

	// A watcher that does not read loses items, counted; closing stops it.
	for i := range 300 {
		h.Publish(pos, []*event.Event{ev("m", "E", `{}`)}, nil, nil, t0.Add(time.Duration(i)*time.Second))
	}
	require.Equal(t, int64(300-256), onlyPOS.Dropped(), "the buffer holds 256")
	require.Zero(t, onlyPOS.Dropped(), "reset on read")
	onlyPOS.Close()
	onlyPOS.Close()
	require.Equal(t, int32(1), h.watchers.Load())
}

func TestSeries(t *testing.T) {
	t.Parallel()
	h := NewHub(10 * time.Minute)
	h.Publish(web, make([]*event.Event, 3), nil, []store.Rejection{{}}, t0)    // 4 at 09:30
	h.Publish(web, make([]*event.Event, 2), nil, nil, t0.Add(2*time.Minute))   // 2 at 09:32
	h.Publish(pos, make([]*event.Event, 1), nil, nil, t0.Add(2*time.Minute))   // 1 at 09:32
	h.Publish(web, make([]*event.Event, 5), nil, nil, t0.Add(-20*time.Minute)) // outside the window
	s := h.Series(t0.Add(3*time.Minute), 5)
	require.Equal(t, time.Date(2026, 11, 26, 9, 29, 0, 0, time.UTC), s.Start)
	require.Equal(t, 5, s.Minutes)
	require.Len(t, s.Sources, 2)
	require.Equal(t, SourceSeries{SourceID: "src_web", SourceName: "nto-web", Channel: "web", Counts: []int64{0, 4, 0, 2, 0}, Total: 6}, s.Sources[0])
	require.Equal(t, []int64{0, 0, 0, 1, 0}, s.Sources[1].Counts)
	require.Equal(t, 10, h.Series(t0, 500).Minutes, "capped at the window")
	require.Empty(t, h.Series(t0.Add(time.Hour), 10).Sources, "old minutes are gone")
}
