package report

import (
	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// JourneyEvents are the events the journey report decodes.
var JourneyEvents = []string{EventEntered, EventStep, EventExited, EventGoalReached, EventMessageSent,
	EventMessageSkipped, EventMessageFailed, EventMessageDelivered, EventMessageOpened, EventMessageClicked}

// NodeCounts are the counts of one journey node.
type NodeCounts struct {
	Entered   int64            `json:"entered"` // Journey Step events at the node
	Waiting   int64            `json:"waiting"` // active instances at the node now
	Sent      int64            `json:"sent"`
	Skipped   int64            `json:"skipped"`
	Failed    int64            `json:"failed"`
	Delivered int64            `json:"delivered"` // distinct sends with the event
	Opened    int64            `json:"opened"`
	Clicked   int64            `json:"clicked"`
	Converted int64            `json:"converted"` // goals whose preceding message was sent by the node
	Exited    map[string]int64 `json:"exited"`    // by reason
}

// instance is what one journey instance did.
type instance struct {
	entered, holdout, converted bool
	paths                       map[string]string
	sent, control               map[string]bool // message nodes sent at, and held back at as control group
}

// Journey accumulates the report of one journey.
type Journey struct {
	id        string
	nodes     map[string]*NodeCounts
	instances []instance
}

var _ funnel.Accumulator = (*Journey)(nil)

// NewJourney starts the report of the journey id.
func NewJourney(id string) *Journey {
	return &Journey{id: id, nodes: map[string]*NodeCounts{}}
}

func (j *Journey) node(id string) *NodeCounts {
	n := j.nodes[id]
	if n == nil {
		n = &NodeCounts{Exited: map[string]int64{}}
		j.nodes[id] = n
	}
	return n
}

// Add reads one profile's history.
func (j *Journey) Add(h *funnel.History) {
	sendNode := map[string]string{} // key of a message actually sent → node
	for i := range h.Events {
		e := &h.Events[i]
		if e.Name == EventMessageSent && str(e, "journey_id") == j.id && str(e, "send_key") != "" {
			sendNode[str(e, "send_key")] = str(e, "node_id")
		}
	}
	insts := map[string]*instance{}
	seen := map[string]bool{} // event name + send key, for distinct responses
	for i := range h.Events {
		e := &h.Events[i]
		if str(e, "journey_id") != j.id {
			continue
		}
		in := insts[str(e, "instance_id")]
		if in == nil {
			in = &instance{}
			insts[str(e, "instance_id")] = in
		}
		if flag(e, "holdout") {
			in.holdout = true
		}
		for k, v := range paths(e) {
			if in.paths == nil {
				in.paths = map[string]string{}
			}
			in.paths[k] = v
		}
		j.count(e, in, sendNode, seen)
	}
	for _, in := range insts {
		if in.entered {
			j.instances = append(j.instances, *in)
		}
	}
}

// count adds one event of the journey to its node and instance.
func (j *Journey) count(e *segment.Event, in *instance, sendNode map[string]string, seen map[string]bool) {
	node := str(e, "node_id")
	switch e.Name {
	case EventEntered:
		in.entered = true
	case EventStep:
		j.node(node).Entered++
	case EventExited:
		j.node(node).Exited[str(e, "reason")]++
	case EventGoalReached:
		in.converted = true
		if n, ok := sendNode[str(e, "preceding_send_key")]; ok {
			j.node(n).Converted++
		}
	case EventMessageSent:
		j.node(node).Sent++
		in.sent = mark(in.sent, node)
	case EventMessageSkipped:
		j.node(node).Skipped++
		if str(e, "reason") == "control_group" {
			in.control = mark(in.control, node)
		}
	case EventMessageFailed:
		j.node(node).Failed++
	case EventMessageDelivered, EventMessageOpened, EventMessageClicked:
		key := str(e, "send_key")
		if key == "" || seen[e.Name+"\x00"+key] {
			return
		}
		seen[e.Name+"\x00"+key] = true
		if n, ok := sendNode[key]; ok {
			node = n
		}
		c := j.node(node)
		switch e.Name {
		case EventMessageDelivered:
			c.Delivered++
		case EventMessageOpened:
			c.Opened++
		default:
			c.Clicked++
		}
	}
}

func mark(m map[string]bool, k string) map[string]bool {
	if m == nil {
		m = map[string]bool{}
	}
	m[k] = true
	return m
}
