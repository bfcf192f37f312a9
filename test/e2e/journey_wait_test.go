package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// stuckAfter is how long instances must sit at a message node with nothing
// left to deliver there, the log fully processed, before they count as stuck.
const stuckAfter = 2 * time.Second

// messageNodes are the welcome journey's nodes that wait for a send.
var messageNodes = []string{"hello", "hook"}

// waitJourney polls the welcome journey's stats until done holds, for at
// most jcSettleTimeout. Instances at a message node whose sends are all
// settled, with the processor caught up with the log, can only be waiting
// for an outcome event that will never come: if that lasts stuckAfter, it
// fails at once and says, for each, what the ledger and the timeline hold.
func waitJourney(t *testing.T, s *server, what string, done func(journeyStats) (bool, string)) {
	t.Helper()
	deadline := time.NewTimer(jcSettleTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * pollInterval)
	defer tick.Stop()
	var stuckSince time.Time
	for {
		st := s.journeyStats("welcome")
		ok, why := done(st)
		if ok {
			return
		}
		if node := idleNode(st); node != "" && caughtUp(s.stats()) {
			if stuckSince.IsZero() {
				stuckSince = time.Now()
			}
			if time.Since(stuckSince) >= stuckAfter {
				t.Fatalf("waiting for %s (%s): for %s instances stay at node %q with no send queued or in flight there and the log "+
					"fully processed, so the outcome event (Message Sent/Skipped/Failed) they wait for will not come:\n%s",
					what, why, stuckAfter, node, s.explainWaiting(node))
			}
		} else {
			stuckSince = time.Time{}
		}
		select {
		case <-tick.C:
		case <-s.exited:
			t.Fatalf("waiting for %s: the server exited (%s)", what, why)
		case <-deadline.C:
			t.Fatalf("waiting for %s: gave up after %s (%s)", what, jcSettleTimeout, why)
		}
	}
}

func caughtUp(st stats) bool { return st.Processed == st.Head }

// idleNode returns a message node that has active instances but no queued
// or attempting send.
func idleNode(st journeyStats) string {
	for _, id := range messageNodes {
		n := st.node(id)
		if n.Active > 0 && n.Queued == 0 && n.Attempting == 0 {
			return id
		}
	}
	return ""
}

// outcomeEvent is a dispatcher event on a timeline.
type outcomeEvent struct {
	Event   string `json:"event"`
	Payload struct {
		Properties struct {
			SendKey string `json:"send_key"`
		} `json:"properties"`
	} `json:"payload"`
}

// explainWaiting describes up to 20 instances active at node: the send they
// wait for, its ledger row, and the outcome events of that send on the
// customer's timeline.
func (s *server) explainWaiting(node string) string {
	s.t.Helper()
	var list struct {
		Instances []struct {
			ID        string `json:"id"`
			ProfileID string `json:"profile_id"`
			State     struct {
				Waiting string `json:"waiting"`
				SendKey string `json:"send_key"`
			} `json:"state"`
		} `json:"instances"`
	}
	s.apiJSON(http.MethodGet, "/v1/journeys/welcome/instances?status=active&limit=20&node="+url.QueryEscape(node), nil, http.StatusOK, &list)
	var b strings.Builder
	for _, in := range list.Instances {
		ref := url.PathEscape(in.ProfileID)
		var msgs struct {
			Messages []journeySend `json:"messages"`
		}
		s.apiJSON(http.MethodGet, "/v1/profiles/"+ref+"/messages", nil, http.StatusOK, &msgs)
		var evs struct {
			Events []outcomeEvent `json:"events"`
		}
		s.apiJSON(http.MethodGet, "/v1/profiles/"+ref+"/events?limit=1000", nil, http.StatusOK, &evs)
		ledger := "no send row"
		for _, m := range msgs.Messages {
			if m.Key == in.State.SendKey {
				ledger = fmt.Sprintf("%s to %s (attempts %d, reason %q)", m.Status, m.To, m.Attempts, m.Reason)
			}
		}
		var outcomes []string
		for _, e := range evs.Events {
			if e.Payload.Properties.SendKey == in.State.SendKey {
				outcomes = append(outcomes, e.Event)
			}
		}
		fmt.Fprintf(&b, "  %s of %s waits (%q) for send %s: the ledger says %s; outcome events on the timeline: %v\n",
			in.ID, in.ProfileID, in.State.Waiting, in.State.SendKey, ledger, outcomes)
	}
	return b.String()
}

// waitPastEmail waits until all n customers entered and none is at the
// welcome email any more (the delay runs from when it is out).
func waitPastEmail(t *testing.T, s *server, n int) {
	t.Helper()
	waitJourney(t, s, "every customer to get past the welcome email", func(st journeyStats) (bool, string) {
		hello := st.node("hello")
		return st.Entered == int64(n) && hello.Active == 0,
			fmt.Sprintf("%d entered, %d at the email (%d queued)", st.Entered, hello.Active, hello.Queued)
	})
}

// waitCompleted waits until all n customers completed the journey.
func waitCompleted(t *testing.T, s *server, n int) {
	t.Helper()
	waitJourney(t, s, "every customer to complete the journey", func(st journeyStats) (bool, string) {
		return st.active() == 0 && st.Exited["completed"] == int64(n),
			fmt.Sprintf("%d active, exited %v", st.active(), st.Exited)
	})
}

// requireSent polls the ledger until send key of customer user is sent.
func requireSent(t *testing.T, s *server, user, key string) {
	t.Helper()
	require.NotEmpty(t, key)
	poll(t, jcPhaseTimeout, s.exited, "send "+key+" to be recorded sent", func() (bool, string) {
		var msgs struct {
			Messages []journeySend `json:"messages"`
		}
		s.apiJSON(http.MethodGet, "/v1/profiles/"+url.PathEscape("user_id:"+user)+"/messages", nil, http.StatusOK, &msgs)
		for _, m := range msgs.Messages {
			if m.Key == key {
				return m.Status == "sent", m.Status
			}
		}
		return false, "no such send"
	})
}
