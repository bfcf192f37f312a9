package journey

import "strconv"

// Node kinds.
const (
	KindDelay       = "delay"
	KindWait        = "wait"
	KindSplit       = "split"
	KindMultiSplit  = "multi_split"
	KindRandomSplit = "random_split"
	KindExperiment  = "experiment"
	KindMessage     = "message"
	KindUpdate      = "update"
	KindWebhook     = "webhook"
	KindJump        = "jump"
	KindExit        = "exit"
)

// Kind names the node's kind; "" when none or several are set.
func (n *Node) Kind() string {
	kind, count := "", 0
	set := func(ok bool, k string) {
		if ok {
			kind = k
			count++
		}
	}
	set(n.Delay != nil, KindDelay)
	set(n.Wait != nil, KindWait)
	set(n.Split != nil, KindSplit)
	set(n.MultiSplit != nil, KindMultiSplit)
	set(n.RandomSplit != nil, KindRandomSplit)
	set(n.Experiment != nil, KindExperiment)
	set(n.Message != nil, KindMessage)
	set(n.Update != nil, KindUpdate)
	set(n.Webhook != nil, KindWebhook)
	set(n.Jump != nil, KindJump)
	set(n.ExitNode != nil, KindExit)
	if count != 1 {
		return ""
	}
	return kind
}

// edge is an outgoing link of a node: the field path and the target id.
type edge struct {
	path string
	to   string
}

// edges lists a node's outgoing links (empty targets included, so
// validation can tell which are required).
func (n *Node) edges() []edge {
	switch n.Kind() {
	case KindWait:
		out := make([]edge, 0, len(n.Wait.Branches)+1)
		for i, b := range n.Wait.Branches {
			out = append(out, edge{"wait.branches[" + strconv.Itoa(i) + "].next", b.Next})
		}
		return append(out, edge{"wait.timeout_next", n.Wait.TimeoutNext})
	case KindSplit:
		return []edge{{"split.yes", n.Split.Yes}, {"split.no", n.Split.No}}
	case KindMultiSplit:
		out := make([]edge, 0, len(n.MultiSplit.Paths)+1)
		for i, p := range n.MultiSplit.Paths {
			out = append(out, edge{"multi_split.paths[" + strconv.Itoa(i) + "].next", p.Next})
		}
		return append(out, edge{"multi_split.else", n.MultiSplit.Else})
	case KindRandomSplit:
		out := make([]edge, 0, len(n.RandomSplit.Paths))
		for i, p := range n.RandomSplit.Paths {
			out = append(out, edge{"random_split.paths[" + strconv.Itoa(i) + "].next", p.Next})
		}
		return out
	case KindExperiment:
		out := make([]edge, 0, len(n.Experiment.Variants)+1)
		for i, p := range n.Experiment.Variants {
			out = append(out, edge{"experiment.variants[" + strconv.Itoa(i) + "].next", p.Next})
		}
		if n.Experiment.Control != nil {
			out = append(out, edge{"experiment.control.next", n.Experiment.Control.Next})
		}
		return out
	case KindExit, KindJump:
		return nil
	default:
		return []edge{{"next", n.Next}}
	}
}

// holds reports whether arriving at the node can hold the customer until
// later (a delay or wait), which breaks a zero-delay loop.
func (n *Node) holds() bool { return n.Delay != nil || n.Wait != nil }
