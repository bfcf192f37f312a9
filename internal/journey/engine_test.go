package journey

import (
	"strings"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

const welcomeJSON = `{
  "id": "welcome", "name": "Welcome series",
  "entry": {"event": {"name": "Signed Up"}, "next": "email"},
  "nodes": [
    {"id": "email", "message": {"channel": "email", "template": "welcome"}, "next": "wait"},
    {"id": "wait", "wait": {"branches": [{"event": {"name": "Order Completed"}, "next": "done"}], "timeout": "7d", "timeout_next": "vip"}},
    {"id": "vip", "split": {"condition": {"trait": {"path": "vip", "op": "equals", "value": true}}, "yes": "sms", "no": "done"}},
    {"id": "sms", "message": {"channel": "sms", "template": "coupon", "advance": "always"}, "next": "done"},
    {"id": "done", "exit": {}}
  ],
  "goals": [{"id": "bought", "event": {"name": "Order Completed", "where": [{"property": "revenue", "op": "gte", "value": 100}]}, "within": "14d"}]
}`

var t0 = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

// harness runs sessions of one profile, carrying instance rows and timers
// from one to the next like the processor does through the store.
type harness struct {
	t      *testing.T
	cat    *Catalog
	rows   map[string]store.JourneyInstance
	timers map[string]store.Timer
	sends  []store.Send
	events []Emitted
	traits map[string]any
}

func newHarness(t *testing.T, defs ...string) *harness {
	t.Helper()
	var (
		js []store.Journey
		vs []*Version
	)
	for _, src := range defs {
		d, err := ParseJSON([]byte(src))
		require.NoError(t, err)
		require.NoError(t, d.Validate(nil))
		js = append(js, store.Journey{ID: d.ID, Status: store.JourneyLive, LiveVersion: 1})
		vs = append(vs, &Version{JourneyID: d.ID, Number: 1, Def: d})
	}
	return &harness{t: t, cat: NewCatalog(js, vs), rows: map[string]store.JourneyInstance{}, timers: map[string]store.Timer{}, traits: map[string]any{}}
}

func (h *harness) session(now time.Time) *Session {
	h.t.Helper()
	var rows []store.JourneyInstance
	for _, r := range h.rows {
		rows = append(rows, r)
	}
	s, err := NewSession(h.cat, now, Profile{ID: "p1", Snapshot: func() (segment.Snapshot, error) {
		return segment.Snapshot{ProfileID: "p1", Traits: h.traits}, nil
	}}, rows)
	require.NoError(h.t, err)
	return s
}

func (h *harness) commit(s *Session) *Effects {
	h.t.Helper()
	fx, err := s.Effects()
	require.NoError(h.t, err)
	for _, r := range fx.Instances {
		h.rows[r.ID] = r
	}
	for _, tm := range fx.Timers {
		h.timers[tm.Ref] = tm
	}
	for _, tm := range fx.TimerDeletes {
		delete(h.timers, tm.Ref)
	}
	h.sends = append(h.sends, fx.Sends...)
	h.events = append(h.events, fx.Events...)
	return fx
}

func (h *harness) event(now time.Time, name string, props map[string]any, internal bool) *Effects {
	h.t.Helper()
	s := h.session(now)
	require.NoError(h.t, s.Event(&Event{Event: segment.Event{Name: name, Timestamp: now, Properties: props}, MessageID: name + now.String(), Internal: internal}))
	return h.commit(s)
}

func (h *harness) fire(now time.Time) *Effects {
	h.t.Helper()
	s := h.session(now)
	for _, tm := range h.timers {
		if !tm.FireAt.After(now) {
			require.NoError(h.t, s.Timer(tm))
		}
	}
	return h.commit(s)
}

func (h *harness) only() store.JourneyInstance {
	h.t.Helper()
	require.Len(h.t, h.rows, 1)
	for _, r := range h.rows {
		return r
	}
	return store.JourneyInstance{}
}

func TestWelcomeTimeoutPath(t *testing.T) {
	t.Parallel()
	h := newHarness(t, welcomeJSON)
	h.traits["vip"] = true
	fx := h.event(t0, "Signed Up", nil, false)
	require.Len(t, fx.Sends, 1)
	in := h.only()
	require.Equal(t, "email", in.Node)
	require.Equal(t, store.InstanceActive, in.Status)
	key := fx.Sends[0].Key
	require.Equal(t, SendKey("welcome", 1, in.ID, "email", 1, t0), key)

	// An unrelated send outcome does not move it; its own does.
	h.event(t0.Add(time.Second), EventMessageSent, map[string]any{"send_key": "other"}, true)
	require.Equal(t, "email", h.only().Node)
	h.event(t0.Add(2*time.Second), EventMessageSent, map[string]any{"send_key": key}, true)
	require.Equal(t, "wait", h.only().Node)
	require.Len(t, h.timers, 1)

	// Nothing before the timeout; at the timeout the VIP gets the SMS and completes.
	h.fire(t0.Add(6 * 24 * time.Hour))
	require.Equal(t, "wait", h.only().Node)
	fx = h.fire(t0.Add(7*24*time.Hour + 2*time.Second))
	require.Len(t, fx.Sends, 1)
	require.Equal(t, "sms", fx.Sends[0].Channel)
	in = h.only()
	require.Equal(t, store.InstanceExited, in.Status)
	require.Equal(t, ExitCompleted, in.ExitReason)
	require.Empty(t, h.timers)

	// Re-entry is never by default.
	fx = h.event(t0.Add(8*24*time.Hour), "Signed Up", nil, false)
	require.Empty(t, fx.Instances)
}

func TestWelcomeGoalAndBranch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		revenue float64
		reason  string
	}{
		{"goal reached exits with goal", 150, ExitGoal},
		{"small order takes the wait branch", 20, ExitCompleted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, welcomeJSON)
			fx := h.event(t0, "Signed Up", nil, false)
			h.event(t0.Add(time.Second), EventMessageSent, map[string]any{"send_key": fx.Sends[0].Key}, true)
			h.event(t0.Add(time.Hour), "Order Completed", map[string]any{"revenue": tc.revenue}, false)
			in := h.only()
			require.Equal(t, store.InstanceExited, in.Status)
			require.Equal(t, tc.reason, in.ExitReason)
			require.Empty(t, h.timers, "the wait timeout is dropped")
		})
	}
}

func TestMessageFailurePolicy(t *testing.T) {
	t.Parallel()
	h := newHarness(t, welcomeJSON)
	fx := h.event(t0, "Signed Up", nil, false)
	h.event(t0.Add(time.Second), EventMessageFailed, map[string]any{"send_key": fx.Sends[0].Key}, true)
	in := h.only()
	require.Equal(t, ExitMessageFailed, in.ExitReason)
}

func TestEventKeyedReentryAndMatchKey(t *testing.T) {
	t.Parallel()
	cart := `{"id":"cart","name":"Abandoned cart",
	  "entry":{"event":{"name":"Checkout Started","key":"cart_id"},"next":"wait"},
	  "reentry":{"mode":"anytime"},
	  "nodes":[
	    {"id":"wait","wait":{"branches":[{"event":{"name":"Order Completed","match_key":true},"next":"bye"}],"timeout":"1h","timeout_next":"remind"}},
	    {"id":"remind","message":{"channel":"email","template":"cart","advance":"always"}},
	    {"id":"bye","exit":{}}]}`
	h := newHarness(t, cart)
	h.event(t0, "Checkout Started", map[string]any{"cart_id": "c1"}, false)
	h.event(t0.Add(time.Minute), "Checkout Started", map[string]any{"cart_id": "c2"}, false)
	h.event(t0.Add(2*time.Minute), "Checkout Started", map[string]any{"cart_id": "c1"}, false) // same key, still active
	require.Len(t, h.rows, 2)
	h.event(t0.Add(3*time.Minute), "Order Completed", map[string]any{"cart_id": "c1"}, false)
	fx := h.fire(t0.Add(2 * time.Hour))
	require.Len(t, fx.Sends, 1, "only the cart not bought gets a reminder")
	for _, r := range h.rows {
		require.Equal(t, store.InstanceExited, r.Status)
		if r.Key == "c1" {
			require.Equal(t, "bye", r.Node)
		} else {
			require.Equal(t, "remind", r.Node)
		}
	}
}

func TestRandomSplitIsStickyAndBalanced(t *testing.T) {
	t.Parallel()
	paths := []WeightedPath{{ID: "a", Percent: 30}, {ID: "b", Percent: 70}}
	counts := map[string]int{}
	for i := range 10000 {
		p := pick(bucket("split", "j", "n", "profile-"+itoa(i)), paths, nil)
		require.Same(t, p, pick(bucket("split", "j", "n", "profile-"+itoa(i)), paths, nil))
		counts[p.ID]++
	}
	require.InDelta(t, 3000, counts["a"], 250)
	require.InDelta(t, 7000, counts["b"], 250)
}

func TestDeterministicEffects(t *testing.T) {
	t.Parallel()
	run := func() *Effects {
		h := newHarness(t, welcomeJSON)
		return h.event(t0, "Signed Up", map[string]any{"plan": "x"}, false)
	}
	a, b := run(), run()
	require.Equal(t, a.Sends[0].Key, b.Sends[0].Key)
	require.Equal(t, len(a.Events), len(b.Events))
	for i := range a.Events {
		require.Equal(t, a.Events[i].MessageID, b.Events[i].MessageID)
	}
}

func TestEntryIgnoresOldEvents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		maxAge string
		age    time.Duration
		enters bool
	}{
		{"fresh event enters", "", time.Hour, true},
		{"a day-old import does not", "", 25 * time.Hour, false},
		{"custom max age", "2h", 3 * time.Hour, false},
		{"any age", "none", 400 * 24 * time.Hour, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := welcomeJSON
			if tc.maxAge != "" {
				src = strings.Replace(src, `{"name": "Signed Up"}`, `{"name": "Signed Up", "max_age": "`+tc.maxAge+`"}`, 1)
			}
			h := newHarness(t, src)
			s := h.session(t0)
			require.NoError(t, s.Event(&Event{Event: segment.Event{Name: "Signed Up", Timestamp: t0.Add(-tc.age)}, MessageID: "m"}))
			h.commit(s)
			require.Equal(t, tc.enters, len(h.rows) == 1)
		})
	}
}
