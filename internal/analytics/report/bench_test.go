package report

import (
	"fmt"
	"testing"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// benchHistory is one customer with 20 sends, half opened, of one journey.
func benchHistory() *funnel.History {
	var evs []segment.Event
	evs = append(evs, ev(EventEntered, 0, jp("j1", "i1", "start", nil)))
	for i := range 20 {
		key := fmt.Sprintf("k%d", i)
		p := jp("j1", "i1", "email", map[string]any{"send_key": key, "lifecycle_stage": "active", "template": "t", "channel": "email",
			"paths": map[string]any{"exp": "A"}})
		evs = append(evs, ev(EventStep, i, p), ev(EventMessageSent, i, p))
		if i%2 == 0 {
			evs = append(evs, ev(EventMessageOpened, i, p), ev(EventStageChanged, i, map[string]any{"from": "new", "to": "active"}))
		}
	}
	return hist("p", evs...)
}

func BenchmarkJourneyAdd(b *testing.B) {
	h := benchHistory()
	j := NewJourney("j1")
	b.ReportAllocs()
	for b.Loop() {
		j.Add(h)
		j.instances = j.instances[:0]
	}
}

func BenchmarkStagesAdd(b *testing.B) {
	h := benchHistory()
	s, err := NewStages(StageSpec{Metric: Opened})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Add(h)
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"day", "week", "month", "", "Week", "year"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if string(p) != s {
			t.Fatalf("ParsePeriod(%q) = %q", s, p)
		}
		fl := p.Floor(w0.Add(37))
		if fl.After(w0) || !p.Next(fl).After(w0) {
			t.Fatalf("period %q: floor %v does not hold %v", p, fl, w0)
		}
	})
}
