package journey

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

func (v *validator) nodes() {
	if len(v.d.Nodes) == 0 {
		v.ps.add("nodes", "", "no nodes", "add at least one node after the entry")
	}
	for i := range v.d.Nodes {
		n := &v.d.Nodes[i]
		path := "nodes[" + strconv.Itoa(i) + "]"
		if !idPattern.MatchString(n.ID) {
			v.ps.add(path+".id", n.ID, fmt.Sprintf("%q is not a valid node id", n.ID), "use letters, digits, _, . or -")
		} else if _, dup := v.byID[n.ID]; dup {
			v.ps.add(path+".id", n.ID, "duplicate node id", "give every node its own id")
		} else {
			v.byID[n.ID] = n
		}
		kind := n.Kind()
		if kind == "" {
			v.ps.add(path, n.ID, "a node needs exactly one kind", "set one of delay, wait, split, multi_split, random_split, experiment, message, update, webhook, jump, exit")
			continue
		}
		if n.Next != "" && (kind == KindWait || kind == KindSplit || kind == KindMultiSplit || kind == KindRandomSplit || kind == KindExperiment || kind == KindExit || kind == KindJump) {
			v.ps.add(path+".next", n.ID, "a "+kind+" node does not take next", "put the targets inside the "+kind)
		}
		v.node(path+"."+kind, n)
	}
}

func (v *validator) node(path string, n *Node) {
	id := n.ID
	switch {
	case n.Delay != nil:
		d, forms := n.Delay, 0
		if d.Duration != "" {
			forms++
			v.duration(path+".duration", id, d.Duration, true)
		}
		if d.Until != nil {
			forms++
			v.localTime(path+".until", id, d.Until.Time, d.Until.Days)
		}
		if d.Trait != nil {
			forms++
			if d.Trait.Path == "" {
				v.ps.add(path+".until_trait.path", id, "missing trait path", "name a date trait such as birthday")
			}
			if d.Trait.Offset != "" {
				if _, err := parseOffset(d.Trait.Offset); err != nil {
					v.ps.add(path+".until_trait.offset", id, err.Error(), "write e.g. -1d or 2h")
				}
			}
		}
		if forms != 1 {
			v.ps.add(path, id, "a delay needs exactly one of duration, until, until_trait", "")
		}
	case n.Wait != nil:
		w := n.Wait
		if len(w.Branches) == 0 {
			v.ps.add(path+".branches", id, "no branches", "wait for an event, a segment or an engagement")
		}
		for i := range w.Branches {
			b := &w.Branches[i]
			bp := path + ".branches[" + strconv.Itoa(i) + "]"
			forms := 0
			if b.Event != nil {
				forms++
				v.match(bp+".event", id, b.Event, false)
			}
			if b.Segment != "" {
				forms++
				v.segmentRef(bp+".segment", id, b.Segment)
			}
			if b.Engagement != nil {
				forms++
				if b.Engagement.Action != "opened" && b.Engagement.Action != "clicked" {
					v.ps.add(bp+".engagement.action", id, fmt.Sprintf("unknown action %q", b.Engagement.Action), "use opened or clicked")
				}
				if m, ok := v.byIDAll(b.Engagement.Node); !ok || m.Message == nil {
					v.ps.add(bp+".engagement.node", id, fmt.Sprintf("%q is not a message node of this journey", b.Engagement.Node), "name the message node whose engagement to wait for")
				}
			}
			if forms != 1 {
				v.ps.add(bp, id, "a branch needs exactly one of event, segment, engagement", "")
			}
		}
		v.duration(path+".timeout", id, w.Timeout, true)
	case n.Split != nil:
		n.Split.cond = v.condition(path+".condition", id, n.Split.Condition)
	case n.MultiSplit != nil:
		if len(n.MultiSplit.Paths) == 0 {
			v.ps.add(path+".paths", id, "no paths", "add ordered paths with conditions")
		}
		for i := range n.MultiSplit.Paths {
			p := &n.MultiSplit.Paths[i]
			p.cond = v.condition(path+".paths["+strconv.Itoa(i)+"].condition", id, p.Condition)
		}
	case n.RandomSplit != nil:
		v.percentages(path+".paths", id, n.RandomSplit.Paths, nil)
	case n.Experiment != nil:
		e := n.Experiment
		v.percentages(path+".variants", id, e.Variants, e.Control)
		for i, p := range e.Variants {
			if p.ID == "" {
				v.ps.add(path+".variants["+strconv.Itoa(i)+"].id", id, "a variant needs an id", "e.g. A, B")
			}
		}
		v.duration(path+".window", id, e.Window, e.AutoWinner)
		if e.AutoWinner && e.Metric == "" {
			v.ps.add(path+".metric", id, "auto_winner needs a metric", `name the conversion event, e.g. "Order Completed"`)
		}
	case n.Message != nil:
		v.message(path, id, n.Message)
	case n.Update != nil:
		u := n.Update
		if len(u.Set) == 0 && len(u.Unset) == 0 && len(u.Increment) == 0 && u.Note == "" {
			v.ps.add(path, id, "nothing to update", "set, unset or increment a trait, or add a note")
		}
		for k := range u.Set {
			if reservedTrait(k) {
				v.ps.add(path+".set."+k, id, "a reserved trait", "computed traits and lifecycle_stage are kept by Cairn")
			}
		}
	case n.Webhook != nil:
		w := n.Webhook
		if (w.Channel == "") == (w.URL == "") {
			v.ps.add(path, id, "a webhook needs exactly one of channel and url", "name a configured webhook channel, or give a URL")
		}
		if w.URL != "" && !strings.HasPrefix(w.URL, "https://") && !strings.HasPrefix(w.URL, "http://") {
			v.ps.add(path+".url", id, "not an http(s) URL", "")
		}
		if w.Template != "" && w.Body != "" {
			v.ps.add(path, id, "give template or body, not both", "")
		}
		if v.refs != nil && w.Template != "" {
			if _, ok := v.refs.TemplateChannel(w.Template); !ok {
				v.ps.add(path+".template", id, fmt.Sprintf("unknown template %q", w.Template), "create the template first")
			}
		}
	case n.Jump != nil:
		if n.Jump.Journey == "" || n.Jump.Journey == v.d.ID {
			v.ps.add(path+".journey", id, "must name another journey", "")
		} else if v.refs != nil && !v.refs.JourneyExists(n.Jump.Journey) {
			v.ps.add(path+".journey", id, fmt.Sprintf("unknown journey %q", n.Jump.Journey), "create the target journey first")
		}
	}
}

func (v *validator) message(path, id string, m *Message) {
	kind := m.Channel
	if m.Channel == "" {
		v.ps.add(path+".channel", id, "missing channel", "email, sms, push, inapp, webhook, direct_mail, task or audience")
	} else if v.refs != nil {
		k, ok := v.refs.ChannelKind(m.Channel)
		if !ok {
			v.ps.add(path+".channel", id, fmt.Sprintf("channel %q is not configured", m.Channel), "configure it under /v1/channels first")
		}
		kind = k
	}
	if m.Template == "" {
		v.ps.add(path+".template", id, "missing template", "name a template for the channel")
	} else if v.refs != nil {
		ch, ok := v.refs.TemplateChannel(m.Template)
		switch {
		case !ok:
			v.ps.add(path+".template", id, fmt.Sprintf("unknown template %q", m.Template), "create the template first")
		case kind != "" && ch != kind:
			v.ps.add(path+".template", id, fmt.Sprintf("template %q is for %s, not %s", m.Template, ch, kind), "pick a template of the node's channel")
		}
	}
	if m.Group != "" && v.refs != nil && !v.refs.GroupExists(m.Group) {
		v.ps.add(path+".subscription_group", id, fmt.Sprintf("unknown subscription group %q", m.Group), "create it first")
	}
	if m.Advance != "" && m.Advance != "on_sent" && m.Advance != "always" {
		v.ps.add(path+".advance", id, fmt.Sprintf("unknown %q", m.Advance), "use on_sent or always")
	}
	if m.OnFailure != "" && m.OnFailure != "exit" && m.OnFailure != "skip" {
		v.ps.add(path+".on_failure", id, fmt.Sprintf("unknown %q", m.OnFailure), "use exit or skip")
	}
	if m.Retries != nil && (*m.Retries < 0 || *m.Retries > 10) {
		v.ps.add(path+".retries", id, "must be 0-10", "")
	}
}

func (v *validator) percentages(path, id string, paths []WeightedPath, control *WeightedPath) {
	if len(paths) == 0 {
		v.ps.add(path, id, "no paths", "add paths with percentages summing to 100")
		return
	}
	sum := 0.0
	for i, p := range paths {
		if p.Percent <= 0 || p.Percent > 100 {
			v.ps.add(path+"["+strconv.Itoa(i)+"].percent", id, "must be in (0, 100]", "")
		}
		sum += p.Percent
	}
	if control != nil {
		sum += control.Percent
	}
	if math.Abs(sum-100) > 1e-9 {
		v.ps.add(path, id, fmt.Sprintf("percentages sum to %g, not 100", sum), "adjust them so they add up to 100")
	}
}

// byIDAll finds a node by id before the index is complete.
func (v *validator) byIDAll(id string) (*Node, bool) {
	for i := range v.d.Nodes {
		if v.d.Nodes[i].ID == id {
			return &v.d.Nodes[i], true
		}
	}
	return nil, false
}

// reservedTrait tells whether Cairn owns a trait path.
func reservedTrait(path string) bool {
	return path == "lifecycle_stage" || strings.HasPrefix(path, "cairn.")
}
