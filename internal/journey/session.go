package journey

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Profile is what the engine reads about one customer. The functions are
// called lazily: most events never need the snapshot.
type Profile struct {
	ID string
	// Snapshot returns the customer's traits and event history (splits,
	// trait delays, waits already satisfied).
	Snapshot func() (segment.Snapshot, error)
	// InSegment tells current segment membership.
	InSegment func(id string) bool
	// Segments resolves in_segment references inside split conditions.
	Segments segment.SegmentLookup
	// Zone is the customer's time zone (local-time delays).
	Zone func() *time.Location
	// Traits returns the customer's traits alone (cheaper than Snapshot),
	// for what needs no events: the lifecycle stage on timeline events.
	Traits func() (map[string]any, error)
}

// Event is what the engine sees of one processed event.
type Event struct {
	segment.Event
	MessageID string
	Internal  bool // from Cairn's internal source
}

// Session runs one customer's journeys for a batch: events, timers and
// API entries, in order. Build one with NewSession and finish with Effects.
type Session struct {
	cat    *Catalog
	now    time.Time
	prof   Profile
	insts  []*inst
	fx     Effects
	timers map[string]store.Timer // instance id → pending timer; zero FireAt deletes
	snap   *segment.Snapshot
}

// NewSession starts work on one customer given all of their instances.
func NewSession(cat *Catalog, now time.Time, p Profile, rows []store.JourneyInstance) (*Session, error) {
	s := &Session{cat: cat, now: now, prof: p, timers: map[string]store.Timer{}}
	for _, r := range rows {
		in, err := loadInst(r)
		if err != nil {
			return nil, err
		}
		if v, ok := cat.Version(r.JourneyID, r.Version); ok {
			in.ver = v
		}
		s.insts = append(s.insts, in)
	}
	return s, nil
}

// SetNow moves the session's clock (events of one batch are handled at
// the processing time; timers at their fire time).
func (s *Session) SetNow(t time.Time) { s.now = t }

// Event handles one event of the customer: delivery outcomes, engagement,
// goals, exit criteria, waits, then entries.
func (s *Session) Event(ev *Event) error {
	segID, _ := ev.Props()["segment_id"].(string)
	if !s.cat.Relevant(ev.Name, segID) {
		return nil
	}
	for _, in := range s.activeSorted() {
		if err := s.onInstance(in, ev, segID); err != nil {
			return err
		}
	}
	return s.entries(ev, segID)
}

func (s *Session) activeSorted() []*inst {
	var out []*inst
	for _, in := range s.insts {
		if in.active() && in.ver != nil {
			out = append(out, in)
		}
	}
	slices.SortFunc(out, func(a, b *inst) int { return cmp.Compare(a.row.ID, b.row.ID) })
	return out
}

func (s *Session) onInstance(in *inst, ev *Event, segID string) error {
	d := in.ver.Def
	if ev.Internal {
		if err := s.delivery(in, ev); err != nil || !in.active() {
			return err
		}
	}
	// Goals before exit criteria (a conversion is credited even when it also exits).
	for _, g := range d.Goals {
		if slices.Contains(in.st.Goals, g.ID) || !s.matches(&g.Event, ev, in) {
			continue
		}
		if g.Within != "" {
			w, _ := segment.ParseDuration(g.Within) //nolint:errcheck // validated at publish
			if s.now.Sub(in.row.EnteredAt) > time.Duration(w) {
				continue
			}
		}
		in.st.Goals = append(in.st.Goals, g.ID)
		s.emit(in, EventGoalReached, map[string]any{"goal_id": g.ID, "event": ev.Name, "event_message_id": ev.MessageID,
			"preceding_send_key": in.st.LastSend, "value": ev.Props()["revenue"]})
		if !g.Continue {
			return s.exit(in, ExitGoal)
		}
	}
	for _, x := range d.Exit {
		hit := false
		switch {
		case x.Event != nil:
			hit = s.matches(x.Event, ev, in)
		case x.Segment != nil:
			hit = ev.Internal && segID == x.Segment.ID && ev.Name == segmentEvent(x.Segment.On)
		}
		if hit {
			return s.exit(in, ExitCriteria)
		}
	}
	n, ok := d.Node(in.row.Node)
	if !ok || n.Wait == nil || in.st.Waiting != "wait" {
		return nil
	}
	for i, b := range n.Wait.Branches {
		hit := false
		switch {
		case b.Event != nil:
			hit = s.matches(b.Event, ev, in)
		case b.Segment != "":
			hit = ev.Internal && segID == b.Segment && ev.Name == "Segment Entered"
		case b.Engagement != nil:
			hit = ev.Internal && engagementHit(b.Engagement, ev, in)
		}
		if hit {
			s.unsetTimer(in)
			return s.run(in, b.Next, "branch "+strconv.Itoa(i))
		}
	}
	return nil
}

// delivery settles a message node waiting for its send's outcome.
func (s *Session) delivery(in *inst, ev *Event) error {
	if in.st.Waiting != "send" {
		return nil
	}
	key, _ := ev.Props()["send_key"].(string)
	if key == "" || key != in.st.SendKey {
		return nil
	}
	n, ok := in.ver.Def.Node(in.row.Node)
	if !ok {
		return s.exit(in, ExitMigrated)
	}
	switch ev.Name {
	case EventMessageSent, EventMessageSkipped:
		return s.run(in, n.Next, "")
	case EventMessageFailed:
		if m := n.Message; m != nil && m.OnFailure == "skip" {
			return s.run(in, n.Next, "")
		}
		if n.Webhook != nil {
			return s.run(in, n.Next, "") // a failed webhook moves on; the failure is on the timeline
		}
		return s.exit(in, ExitMessageFailed)
	}
	return nil
}

func engagementHit(e *Engagement, ev *Event, in *inst) bool {
	want := EventMessageOpened
	if e.Action == "clicked" {
		want = EventMessageClicked
	}
	node, _ := ev.Props()["node_id"].(string)
	id, _ := ev.Props()["instance_id"].(string)
	// A click implies the message was opened.
	return (ev.Name == want || (e.Action == "opened" && ev.Name == EventMessageClicked)) && id == in.row.ID && node == e.Node
}

func segmentEvent(on string) string {
	if on == "exit" {
		return "Segment Exited"
	}
	return "Segment Entered"
}

// matches applies an event matcher; match_key compares with the instance key.
func (s *Session) matches(m *EventMatch, ev *Event, in *inst) bool {
	if m.Name != ev.Name || !segment.MatchFilters(m.filters, &ev.Event, s.now) {
		return false
	}
	if m.MatchKey && in != nil {
		return keyOf(in.ver.Def, ev) == in.row.Key && in.row.Key != ""
	}
	return true
}

// keyOf reads the entry key property of an event ("" when the journey is not event-keyed).
func keyOf(d *Definition, ev *Event) string {
	if d.Entry.Event == nil || d.Entry.Event.Key == "" {
		return ""
	}
	v, ok := lookupPath(ev.Props(), d.Entry.Event.Key)
	if !ok {
		return ""
	}
	return fmt.Sprint(v)
}

// entries enters the customer into live journeys the event starts.
func (s *Session) entries(ev *Event, segID string) error {
	var vs []*Version
	if ev.Internal && segID != "" {
		for _, v := range s.cat.bySeg[segID] {
			if ev.Name == segmentEvent(v.Def.Entry.Segment.On) {
				vs = append(vs, v)
			}
		}
	} else if !ev.Internal || ev.Name != "" {
		for _, v := range s.cat.byEvent[ev.Name] {
			if s.matches(v.Def.Entry.Event, ev, nil) && s.fresh(v.Def.Entry.Event, ev) {
				vs = append(vs, v)
			}
		}
	}
	for _, v := range vs {
		key := keyOf(v.Def, ev)
		if v.Def.Entry.Event != nil && v.Def.Entry.Event.Key != "" && key == "" {
			continue // an event-keyed journey needs the key
		}
		props := ev.Props()
		if ev.Internal {
			props = nil
		}
		if _, err := s.enter(v, ev.MessageID, s.now, key, ev.Name, ev.Timestamp, props, time.Time{}); err != nil {
			return err
		}
	}
	return nil
}

// DefaultMaxAge is how old an entry event may be when processed.
const DefaultMaxAge = 24 * time.Hour

// fresh tells whether an event is recent enough to start an instance.
func (s *Session) fresh(m *EventMatch, ev *Event) bool {
	age := DefaultMaxAge
	switch m.MaxAge {
	case "none":
		return true
	case "":
	default:
		d, _ := segment.ParseDuration(m.MaxAge) //nolint:errcheck // validated at publish
		age = time.Duration(d)
	}
	return !ev.Timestamp.Before(s.now.Add(-age))
}

// Enter starts an instance of a journey's live version for an API call, a
// schedule or a jump; trigger makes the instance id unique per call.
// It returns the instance id, or "" when the re-entry policy refused.
func (s *Session) Enter(journeyID, trigger string, props map[string]any) (string, error) {
	v, ok := s.cat.Live(journeyID)
	if !ok {
		return "", fmt.Errorf("journey %s is not live", journeyID)
	}
	return s.enter(v, trigger, s.now, "", "", s.now, props, time.Time{})
}

// EnterScheduled enters a segment member into a scheduled journey's live
// version for the run at s's time; with the schedule's local_time the
// instance waits at the entry until that time of day in the customer's zone.
func (s *Session) EnterScheduled(journeyID string, run time.Time) (string, error) {
	v, ok := s.cat.Live(journeyID)
	if !ok || v.Def.Entry.Schedule == nil {
		return "", fmt.Errorf("journey %s is not a live scheduled journey", journeyID)
	}
	var hold time.Time
	if lt := v.Def.Entry.Schedule.LocalTime; lt != "" {
		h, m, _ := policy.ParseHHMM(lt) //nolint:errcheck // validated at publish
		hold = policy.NextLocalTime(s.now, s.zone(), h, m, nil)
	}
	return s.enter(v, "schedule:"+run.UTC().Format(time.RFC3339), run, "", "", s.now, nil, hold)
}

// Eject exits every active instance of a journey (stop).
func (s *Session) Eject(journeyID, reason string) error {
	for _, in := range s.activeSorted() {
		if in.row.JourneyID == journeyID {
			if err := s.exit(in, reason); err != nil {
				return err
			}
		}
	}
	return nil
}
