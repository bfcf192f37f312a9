package report

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/analytics/lifecycle"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// MapMessages are Cairn's own events the journey map keeps: its messages
// are touchpoints of their channel.
var MapMessages = []string{EventMessageSent, EventMessageOpened, EventMessageClicked}

// Touchpoint names of page and screen views (their own names vary too much
// to be rows of a map; the paths report shows them).
const (
	PageViewed   = "Page Viewed"
	ScreenViewed = "Screen Viewed"
)

// StageModel is the lifecycle model the map replays over each history.
type StageModel = lifecycle.Model

// ModelStage is one stage of a StageModel and its segment's definition.
type ModelStage = lifecycle.Stage

// MapSpec configures a journey map: every touchpoint in [Since, Until)
// (zero ends are open) placed in the lifecycle stage its customer was in
// then — the stage model evaluated over the customer's events before the
// touchpoint, at its time.
type MapSpec struct {
	Model StageModel
	// Internal is Cairn's internal source id: of its events only messages
	// are touchpoints (under the message's channel).
	Internal     string
	Since, Until time.Time
	// Now ends an open range (the engine clock).
	Now time.Time
	// Window is how long after a touchpoint a move to a later stage counts
	// as the touchpoint's customer advancing (default 30 days).
	Window time.Duration
}

// DefaultMapWindow is the advance window when the spec has none.
const DefaultMapWindow = 30 * 24 * time.Hour

// Validate checks the model, the range and the window and fills the default window.
func (s *MapSpec) Validate() error {
	if s.Model.Default == "" && len(s.Model.Stages) == 0 {
		return fmt.Errorf("%w: a journey map needs the lifecycle stages (define a stage model with PUT /v1/stages)", ErrInvalid)
	}
	for _, st := range s.Model.Stages {
		if st.Def == nil {
			return fmt.Errorf("%w: stage %q has no definition", ErrInvalid, st.Name)
		}
	}
	if !s.Since.IsZero() && !s.Until.IsZero() && !s.Until.After(s.Since) {
		return fmt.Errorf("%w: until must be after since", ErrInvalid)
	}
	if s.Window < 0 {
		return fmt.Errorf("%w: window must be positive", ErrInvalid)
	}
	if s.Until.IsZero() && s.Now.IsZero() {
		return fmt.Errorf("%w: an open range needs the current time", ErrInvalid)
	}
	s.Window = cmp.Or(s.Window, DefaultMapWindow)
	return nil
}

// Need is what a scan must load for the map: customers' events, Cairn's
// messages, and the payloads the stage definitions filter on.
func (s *MapSpec) Need() funnel.Need {
	needs := s.Model.Needs()
	n := funnel.Need{Keep: slices.Concat(MapMessages, needs.Events), Decode: slices.Concat(MapMessages, needs.Payload)}
	if s.Internal != "" {
		n.Exclude = []string{s.Internal}
	}
	return n
}

// end is where the range stops: Until, else Now.
func (s *MapSpec) end() time.Time {
	if !s.Until.IsZero() {
		return s.Until
	}
	return s.Now
}

// Row is one touchpoint: an event name in a channel.
type Row struct {
	Channel    string `json:"channel"`
	Touchpoint string `json:"touchpoint"`
}

// touch is one touchpoint of one customer: its row, the stage (column
// index) the customer was in, and whether they moved to a later stage
// within the window after it.
type touch struct {
	row      int32 // in walker.rows
	stage    int
	at       time.Time
	advanced bool
}

// colChange is a stage change as column indexes, observed at a time.
type colChange struct {
	at       time.Time
	from, to int
}

// observation is the stage at one instant of a history: before (the events
// strictly earlier) and after (those at the instant too).
type observation struct {
	at            time.Time
	before, after int
}

// walker places the touchpoints of one history after another in their
// stages; its fields are scratch space reused between histories.
type walker struct {
	spec    *MapSpec
	replay  *lifecycle.Replay
	touches []touch
	times   []time.Time // the instants to observe, in order
	rows    []Row
	rowIDs  map[Row]int32
	obs     []observation
	changes []colChange
	sendCh  map[string]string // send key → channel of Cairn's messages
}

func newWalker(spec *MapSpec) *walker {
	return &walker{spec: spec, replay: lifecycle.NewReplay(&spec.Model), sendCh: map[string]string{}, rowIDs: map[Row]int32{}}
}

// walk calls fn with every touchpoint of h in the spec's range, in time
// order, and leaves h's stage changes within the range in w.changes.
func (w *walker) walk(h *funnel.History, fn func(touch)) {
	spec := w.spec
	w.replay.Reset(h.ProfileID, h.Events, spec.Internal)
	w.obs, w.changes, w.touches, w.times = w.obs[:0], w.changes[:0], w.touches[:0], w.times[:0]
	clear(w.sendCh)
	stop := spec.end().Add(spec.Window)
	if !spec.Since.IsZero() {
		w.times = append(w.times, spec.Since)
	}
	endAdded := spec.end().IsZero()
	for i := range h.Events {
		e := &h.Events[i]
		t := e.Timestamp
		if !endAdded && t.After(spec.end()) {
			w.times, endAdded = append(w.times, spec.end()), true
		}
		if spec.Internal != "" && e.Source == spec.Internal && e.Name == EventMessageSent && str(e, "channel") != "" {
			w.sendCh[str(e, "send_key")] = str(e, "channel")
		}
		observed := w.replay.Reads(e, spec.Internal) && !t.Before(spec.Since) && t.Before(stop)
		if row, ok := w.touchpoint(e); ok && inRange(t, spec.Since, spec.Until) {
			w.touches = append(w.touches, touch{row: row, at: t})
			observed = true
		}
		if observed {
			w.times = append(w.times, t)
		}
	}
	if !endAdded {
		w.times = append(w.times, spec.end())
	}
	w.times = slices.CompactFunc(w.times, func(a, b time.Time) bool { return a.Equal(b) })
	w.observe()
	w.transitions()
	o := 0 // the observation of the current touch's instant
	for _, t := range w.touches {
		for w.obs[o].at.Before(t.at) {
			o++
		}
		t.stage = w.obs[o].before
		limit := t.at.Add(spec.Window)
		for j := o; j < len(w.obs) && !w.obs[j].at.After(limit); j++ {
			if w.obs[j].after > t.stage || (j > o && w.obs[j].before > t.stage) {
				t.advanced = true
				break
			}
		}
		fn(t)
	}
}

// observe evaluates the stage at every instant in w.times: each touchpoint
// in the range and each relevant event up to a window past it, the start
// of the range, and its end.
func (w *walker) observe() {
	r := w.replay
	n := 0 // relevant events before the instant
	for _, t := range w.times {
		for n < r.Count() && r.TimeOf(n).Before(t) {
			n++
		}
		m := n // and at it
		for m < r.Count() && r.TimeOf(m).Equal(t) {
			m++
		}
		o := observation{at: t, before: r.Over(n, t)}
		o.after = o.before
		if m > n {
			o.after = r.Over(m, t)
		}
		w.obs = append(w.obs, o)
	}
}

// transitions lists the stage changes the observations show within the
// range.
func (w *walker) transitions() {
	if len(w.obs) == 0 {
		return
	}
	prev := w.obs[0].before
	move := func(at time.Time, to int) {
		if to != prev && inRange(at, w.spec.Since, w.spec.Until) {
			w.changes = append(w.changes, colChange{at: at, from: prev, to: to})
		}
		prev = to
	}
	for _, o := range w.obs {
		move(o.at, o.before)
		move(o.at, o.after)
	}
}

// touchpoint names the row of an event, if it is a touchpoint: a track
// event by its name, page and screen views, and Cairn's own messages by
// their channel (an open or click without one takes its send's).
// Identify, group and alias calls and Cairn's other events are not
// touchpoints.
func (w *walker) touchpoint(e *segment.Event) (int32, bool) {
	if w.spec.Internal != "" && e.Source == w.spec.Internal {
		switch e.Name {
		case EventMessageSent, EventMessageOpened, EventMessageClicked:
			ch := cmp.Or(str(e, "channel"), w.sendCh[str(e, "send_key")], "cairn")
			return w.row(Row{Channel: ch, Touchpoint: e.Name}), true
		}
		return 0, false
	}
	ch := cmp.Or(e.Channel, "unknown")
	switch e.Type {
	case "track":
		if e.Name == "" || e.Name == EventStageChanged {
			return 0, false
		}
		return w.row(Row{Channel: ch, Touchpoint: e.Name}), true
	case "page":
		return w.row(Row{Channel: ch, Touchpoint: PageViewed}), true
	case "screen":
		return w.row(Row{Channel: ch, Touchpoint: ScreenViewed}), true
	}
	return 0, false
}

// row interns a row.
func (w *walker) row(r Row) int32 {
	id, ok := w.rowIDs[r]
	if !ok {
		id = int32(len(w.rows))
		w.rows = append(w.rows, r)
		w.rowIDs[r] = id
	}
	return id
}

func inRange(t, since, until time.Time) bool {
	return (since.IsZero() || !t.Before(since)) && (until.IsZero() || t.Before(until))
}
