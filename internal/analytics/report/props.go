package report

import (
	"math"

	"github.com/cairn-cdp/cairn/internal/segment"
)

// Event names read by the reports (docs/journeys.md, "Timeline events").
const (
	EventEntered          = "Journey Entered"
	EventStep             = "Journey Step"
	EventExited           = "Journey Exited"
	EventGoalReached      = "Goal Reached"
	EventMessageSent      = "Message Sent"
	EventMessageSkipped   = "Message Skipped"
	EventMessageFailed    = "Message Failed"
	EventMessageDelivered = "Message Delivered"
	EventMessageOpened    = "Message Opened"
	EventMessageClicked   = "Message Clicked"
	EventStageChanged     = "Stage Changed"
)

// Alpha is the significance level of every test and interval (95%).
const Alpha = 0.05

// Interval is a confidence interval of a rate.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Wilson is the 95% Wilson score interval of k successes in n trials;
// the zero interval when n is 0.
func Wilson(k, n int64) Interval {
	if n <= 0 {
		return Interval{}
	}
	const z = 1.959963984540054
	nf, p := float64(n), float64(k)/float64(n)
	den := 1 + z*z/nf
	mid := (p + z*z/(2*nf)) / den
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return Interval{Low: max(0, mid-half), High: min(1, mid+half)}
}

func rate(k, n int64) float64 {
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// str reads a string property ("" when absent or not a string).
func str(e *segment.Event, key string) string {
	s, _ := e.Properties[key].(string)
	return s
}

// flag reads a boolean property.
func flag(e *segment.Event, key string) bool {
	b, _ := e.Properties[key].(bool)
	return b
}

// paths reads the split/experiment arms taken so far (split node → arm).
func paths(e *segment.Event) map[string]string {
	m, _ := e.Properties["paths"].(map[string]any)
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}
