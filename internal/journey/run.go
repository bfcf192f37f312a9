package journey

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// maxSteps bounds the nodes one activation may pass without waiting.
const maxSteps = 100

// DefaultRetries is a message node's provider retries when unset.
const DefaultRetries = 3

// enter starts an instance of v unless the re-entry policy refuses;
// trigger and triggerAt identify what started it (see InstanceID).
func (s *Session) enter(v *Version, trigger string, triggerAt time.Time, key, entryEvent string, entryTime time.Time, props map[string]any, holdUntil time.Time) (string, error) {
	d := v.Def
	var last *inst
	count := 0
	for _, in := range s.insts {
		if in.row.JourneyID != v.JourneyID || in.row.Key != key {
			continue
		}
		count++
		if last == nil || in.row.EnteredAt.After(last.row.EnteredAt) {
			last = in
		}
		if in.active() && (d.ReEntry.Mode != "anytime" || key != "") {
			return "", nil // one running instance at a time (per key for event-keyed journeys)
		}
	}
	switch {
	case count > 0 && (d.ReEntry.Mode == "" || d.ReEntry.Mode == "never"):
		return "", nil
	case d.ReEntry.MaxEntries > 0 && count >= d.ReEntry.MaxEntries:
		return "", nil
	case last != nil && d.ReEntry.MinInterval != "":
		iv, _ := segment.ParseDuration(d.ReEntry.MinInterval) //nolint:errcheck // validated at publish
		if s.now.Sub(last.row.EnteredAt) < time.Duration(iv) {
			return "", nil
		}
	}
	id := InstanceID(v.JourneyID, s.prof.ID, trigger, key, triggerAt)
	for _, in := range s.insts {
		if in.row.ID == id {
			return "", nil // the same trigger already entered (a replay)
		}
	}
	in := &inst{ver: v, dirty: true, row: store.JourneyInstance{
		ID: id, JourneyID: v.JourneyID, Version: v.Number, ProfileID: s.prof.ID, Key: key,
		Status: store.InstanceActive, EnteredAt: s.now, UpdatedAt: s.now,
	}}
	in.st.Entry, in.st.EntryEvent, in.st.EntryTime = props, entryEvent, entryTime
	if p := d.Settings.HoldoutPercent; p > 0 && policy.Holdout(v.JourneyID, p).Contains(s.prof.ID) {
		in.st.Holdout = true
	}
	s.insts = append(s.insts, in)
	s.emit(in, EventEntered, map[string]any{"trigger": entryEvent, "key": key})
	if holdUntil.After(s.now) {
		// A scheduled entry at the customer's local time: wait at the entry.
		in.st.Waiting = "start"
		s.setTimer(in, holdUntil)
		return id, nil
	}
	if err := s.run(in, d.Entry.Next, ""); err != nil {
		return "", err
	}
	return id, nil
}

// run moves an instance to node id and executes nodes until one holds it.
func (s *Session) run(in *inst, id, via string) error {
	d := in.ver.Def
	in.dirty = true
	in.st.Waiting, in.st.SendKey, in.st.MigratedFrom = "", "", ""
	for range maxSteps {
		if id == "" {
			return s.exit(in, ExitCompleted)
		}
		n, ok := d.Node(id)
		if !ok {
			return s.exit(in, ExitMigrated)
		}
		in.row.Node, in.row.UpdatedAt, in.st.Arrived = id, s.now, s.now
		if in.st.Visits == nil {
			in.st.Visits = map[string]int{}
		}
		in.st.Visits[id]++
		step := map[string]any{"node_type": n.Kind(), "via": via}
		if m := n.Message; m != nil {
			step["channel"], step["template"] = m.Channel, m.Template
		}
		s.emit(in, EventStep, step)
		via = ""
		next, hold, err := s.execute(in, n)
		if err != nil {
			return fmt.Errorf("journey %s node %s: %w", d.ID, id, err)
		}
		if hold || !in.active() {
			return nil
		}
		id = next
	}
	return s.exit(in, ExitLoopLimit)
}

// execute runs one node: the next node id, or hold=true when the instance waits.
func (s *Session) execute(in *inst, n *Node) (next string, hold bool, err error) {
	switch n.Kind() {
	case KindDelay:
		at, err := s.delayUntil(n.Delay)
		if err != nil {
			return "", false, err
		}
		if !at.After(s.now) {
			return n.Next, false, nil // a moment already past proceeds at once
		}
		in.st.Waiting = "timer"
		s.setTimer(in, at)
		return "", true, nil
	case KindWait:
		for i, b := range n.Wait.Branches {
			ok, err := s.alreadyTrue(in, &b)
			if err != nil {
				return "", false, err
			}
			if ok {
				in.st.Paths = setPath(in.st.Paths, n.ID, "branch "+itoa(i))
				return b.Next, false, nil
			}
		}
		to, _ := segment.ParseDuration(n.Wait.Timeout) //nolint:errcheck // validated at publish
		in.st.Waiting = "wait"
		s.setTimer(in, s.now.Add(time.Duration(to)))
		return "", true, nil
	case KindSplit:
		ok, err := s.eval(n.Split.cond)
		if err != nil {
			return "", false, err
		}
		if ok {
			in.st.Paths = setPath(in.st.Paths, n.ID, "yes")
			return n.Split.Yes, false, nil
		}
		in.st.Paths = setPath(in.st.Paths, n.ID, "no")
		return n.Split.No, false, nil
	case KindMultiSplit:
		for i, p := range n.MultiSplit.Paths {
			ok, err := s.eval(p.cond)
			if err != nil {
				return "", false, err
			}
			if ok {
				in.st.Paths = setPath(in.st.Paths, n.ID, "path "+itoa(i))
				return p.Next, false, nil
			}
		}
		in.st.Paths = setPath(in.st.Paths, n.ID, "else")
		return n.MultiSplit.Else, false, nil
	case KindRandomSplit:
		p := pick(bucket("split", in.row.JourneyID, n.ID, s.prof.ID), n.RandomSplit.Paths, nil)
		in.st.Paths = setPath(in.st.Paths, n.ID, pathName(p, n.RandomSplit.Paths))
		return p.Next, false, nil
	case KindExperiment:
		e := n.Experiment
		p := pick(bucket("experiment", in.row.JourneyID, n.ID, s.prof.ID), e.Variants, e.Control)
		if w, ok := s.cat.Winner(in.row.JourneyID, in.row.Version, n.ID); ok {
			for i := range e.Variants {
				if e.Variants[i].ID == w {
					p = &e.Variants[i]
				}
			}
		}
		name := "control"
		if p != e.Control {
			name = p.ID
		}
		in.st.Paths = setPath(in.st.Paths, n.ID, name)
		return p.Next, false, nil
	case KindMessage:
		m := n.Message
		retries := DefaultRetries
		if m.Retries != nil {
			retries = *m.Retries
		}
		key := s.queue(in, n, m.Channel, m.Template, SendPayload{Template: m.Template, Group: m.Group, Retries: retries})
		if m.Advance == "always" {
			return n.Next, false, nil
		}
		in.st.Waiting, in.st.SendKey = "send", key
		return "", true, nil
	case KindWebhook:
		w := n.Webhook
		retries := DefaultRetries
		if w.Retries != nil {
			retries = *w.Retries
		}
		ch := "webhook"
		if w.Channel != "" {
			ch = w.Channel
		}
		key := s.queue(in, n, ch, w.Template, SendPayload{Template: w.Template, URL: w.URL, Body: w.Body, Save: w.Save, Retries: retries})
		in.st.Waiting, in.st.SendKey = "send", key
		return "", true, nil
	case KindUpdate:
		u := n.Update
		s.emit(in, EventProfileUpdated, map[string]any{"set": u.Set, "unset": u.Unset, "increment": u.Increment, "note": u.Note})
		return n.Next, false, nil
	case KindJump:
		if err := s.exit(in, ExitJump); err != nil {
			return "", false, err
		}
		if v, ok := s.cat.Live(n.Jump.Journey); ok {
			if _, err := s.enter(v, "jump:"+in.row.ID, s.now, "", "", s.now, in.st.Entry, time.Time{}); err != nil {
				return "", false, err
			}
		}
		return "", true, nil
	case KindExit:
		return "", false, s.exit(in, ExitCompleted)
	}
	return "", false, fmt.Errorf("unknown node kind of %s", n.ID)
}

// queue writes a send in the outbox for the node's current visit.
func (s *Session) queue(in *inst, n *Node, channel, template string, p SendPayload) string {
	d := in.ver.Def
	key := SendKey(in.row.JourneyID, in.row.Version, in.row.ID, n.ID, in.st.Visits[n.ID], s.now)
	p.JourneyName, p.Entry, p.EntryEvent, p.Paths, p.Holdout = d.Name, in.st.Entry, in.st.EntryEvent, in.st.Paths, in.st.Holdout
	p.OnCap, p.QuietHours, p.DefaultTimezone, p.IgnoreControl = d.Settings.OnCap, d.Settings.QuietHours, d.Settings.DefaultTimezone, d.Settings.IgnoreControl
	body, _ := json.Marshal(p) //nolint:errcheck // plain data always marshals
	s.fx.Sends = append(s.fx.Sends, store.Send{
		Key: key, JourneyID: in.row.JourneyID, Version: in.row.Version, InstanceID: in.row.ID, NodeID: n.ID,
		ProfileID: s.prof.ID, Channel: channel, TemplateID: template, Status: store.SendQueued,
		DueAt: s.now, CreatedAt: s.now, UpdatedAt: s.now, Payload: body,
	})
	in.st.LastSend = key
	return key
}

// exit ends an instance.
func (s *Session) exit(in *inst, reason string) error {
	if !in.active() {
		return nil
	}
	t := s.now
	in.row.Status, in.row.ExitedAt, in.row.ExitReason, in.row.UpdatedAt = store.InstanceExited, &t, reason, s.now
	in.st.Waiting, in.st.SendKey = "", ""
	in.dirty = true
	s.unsetTimer(in)
	s.emit(in, EventExited, map[string]any{"reason": reason})
	return nil
}

func (s *Session) setTimer(in *inst, at time.Time) {
	payload, _ := json.Marshal(map[string]any{"node": in.row.Node, "visit": in.st.Visits[in.row.Node]}) //nolint:errcheck // plain data
	s.timers[in.row.ID] = store.Timer{Kind: store.TimerKindJourney, ProfileID: s.prof.ID, Ref: in.row.ID, FireAt: at, Payload: payload}
}

// unsetTimer drops the instance's pending timer (the last decision of a
// session per instance wins: set or delete).
func (s *Session) unsetTimer(in *inst) {
	s.timers[in.row.ID] = store.Timer{Kind: store.TimerKindJourney, ProfileID: s.prof.ID, Ref: in.row.ID}
}

// Timer handles a fired journey timer (a delay ending or a wait timing out).
// A timer that no longer matches the instance's position is ignored.
func (s *Session) Timer(t store.Timer) error {
	var pos struct {
		Node  string `json:"node"`
		Visit int    `json:"visit"`
	}
	if len(t.Payload) > 0 {
		if err := json.Unmarshal(t.Payload, &pos); err != nil {
			return fmt.Errorf("decode journey timer %d: %w", t.ID, err)
		}
	}
	for _, in := range s.insts {
		if in.row.ID != t.Ref || !in.active() || in.ver == nil {
			continue
		}
		if at := in.row.Node; (at != pos.Node && in.st.MigratedFrom != pos.Node) || in.st.Visits[at] != pos.Visit {
			continue
		}
		if in.row.Node == "" && in.st.Waiting == "start" {
			return s.run(in, in.ver.Def.Entry.Next, "")
		}
		n, ok := in.ver.Def.Node(in.row.Node)
		if !ok {
			return s.exit(in, ExitMigrated)
		}
		switch {
		case n.Delay != nil && in.st.Waiting == "timer":
			return s.run(in, n.Next, "")
		case n.Wait != nil && in.st.Waiting == "wait":
			return s.run(in, n.Wait.TimeoutNext, "timeout")
		}
	}
	return nil
}
