package funnel

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cairn-cdp/cairn/internal/segment"
)

// Dropped is who reached the previous step but not this one.
type Dropped struct {
	Total  int      `json:"total"`
	Sample []string `json:"sample"` // at most DroppedLimit profile ids
	// Segment is the live segment definition of the drop-off (see
	// FunnelSpec.DropoffDefinition), ready for POST /v1/segments; nil at
	// step 1 and for funnels in any order.
	Segment json.RawMessage `json:"segment,omitempty"`
}

// StepResult is one step of a funnel result. Conversions are fractions in
// [0, 1] (0 when the previous step has nobody); times are seconds from the
// previous step, nil at step 1 and when nobody reached the step.
type StepResult struct {
	Event        string   `json:"event"`
	Count        int      `json:"count"`
	FromPrevious float64  `json:"conversion_from_previous"`
	FromFirst    float64  `json:"conversion_from_first"`
	Median       *float64 `json:"median_seconds"`
	P90          *float64 `json:"p90_seconds"`
	Dropped      Dropped  `json:"dropped"`
}

// BreakdownRow is the funnel of one group of entered profiles.
type BreakdownRow struct {
	Value     string    `json:"value"`
	Counts    []int     `json:"counts"`
	FromFirst []float64 `json:"conversion_from_first"`
}

// FunnelResult is a computed funnel.
type FunnelResult struct {
	Entered   int            `json:"entered"`
	Steps     []StepResult   `json:"steps"`
	Breakdown []BreakdownRow `json:"breakdown,omitempty"`
}

// Result returns the funnel, or ErrUnknown naming the step events and
// filter fields that no event has (unless no event was seen at all).
func (f *Funnel) Result() (FunnelResult, error) {
	if err := f.unknown(); err != nil {
		return FunnelResult{}, err
	}
	r := FunnelResult{Entered: f.count[0], Steps: make([]StepResult, len(f.count))}
	for k, st := range f.spec.Steps {
		s := StepResult{Event: st.Event, Count: f.count[k], Dropped: f.dropped[k]}
		s.FromFirst = ratio(f.count[k], f.count[0])
		s.FromPrevious = 1
		if k > 0 {
			s.FromPrevious = ratio(f.count[k], f.count[k-1])
			s.Median, s.P90 = quantile(f.times[k], 0.5), quantile(f.times[k], 0.9)
		} else if f.count[0] == 0 {
			s.FromPrevious = 0
		}
		if def, err := f.spec.DropoffDefinition(k + 1); err == nil {
			s.Dropped.Segment = def.JSON()
		}
		r.Steps[k] = s
	}
	if f.spec.Breakdown.By != "" {
		r.Breakdown = f.breakdownRows()
	}
	return r, nil
}

func (f *Funnel) unknown() error {
	if !f.anyEvent {
		return nil
	}
	var missing []string
	for k, st := range f.spec.Steps {
		if !f.seen[st.Event] {
			missing = append(missing, fmt.Sprintf("event %q (step %d)", st.Event, k+1))
			continue
		}
		for j, w := range st.Where {
			if f.seenProp[k][j] {
				continue
			}
			field := "properties." + w.Property
			if w.Context != "" {
				field = "context." + w.Context
			}
			missing = append(missing, fmt.Sprintf("%s on %q (step %d)", field, st.Event, k+1))
		}
	}
	missing = slices.Compact(missing)
	if len(missing) > 0 {
		return fmt.Errorf("%w: no stored event has %s", ErrUnknown, strings.Join(missing, ", "))
	}
	return nil
}

func (f *Funnel) breakdownRows() []BreakdownRow {
	rows := make([]BreakdownRow, 0, len(f.groups))
	for v, g := range f.groups {
		rows = append(rows, BreakdownRow{Value: v, Counts: g.count})
	}
	slices.SortFunc(rows, func(a, b BreakdownRow) int {
		return cmp.Or(cmp.Compare(b.Counts[0], a.Counts[0]), cmp.Compare(a.Value, b.Value))
	})
	if len(rows) > breakdownTop {
		other := BreakdownRow{Value: "(other)", Counts: make([]int, len(f.count))}
		for _, r := range rows[breakdownTop:] {
			for k, c := range r.Counts {
				other.Counts[k] += c
			}
		}
		rows = append(rows[:breakdownTop], other)
	}
	for i := range rows {
		rows[i].FromFirst = make([]float64, len(rows[i].Counts))
		for k, c := range rows[i].Counts {
			rows[i].FromFirst[k] = ratio(c, rows[i].Counts[0])
		}
	}
	return rows
}

func breakdownKey(b Breakdown, e *segment.Event) string {
	switch b.By {
	case ByChannel:
		return orNone(e.Channel)
	case BySource:
		return orNone(e.Source)
	}
	v, ok := lookup(e.Properties, b.Property)
	if !ok {
		return "(none)"
	}
	switch x := v.(type) {
	case string:
		return orNone(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// quantile is the nearest-rank q-quantile of xs (sorted in place), nil for none.
func quantile(xs []float64, q float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	i := int(math.Ceil(q*float64(len(xs)))) - 1
	v := xs[max(i, 0)]
	return &v
}

// lookup resolves a dotted path like the segment evaluator: an exact key
// first, then the longest prefix holding an object. A null is missing.
func lookup(m map[string]any, path string) (any, bool) {
	if m == nil {
		return nil, false
	}
	if v, ok := m[path]; ok {
		return v, v != nil
	}
	for i := len(path) - 1; i > 0; i-- {
		if path[i] != '.' {
			continue
		}
		if sub, ok := m[path[:i]].(map[string]any); ok {
			return lookup(sub, path[i+1:])
		}
	}
	return nil, false
}

func has(m map[string]any, path string) bool {
	_, ok := lookup(m, path)
	return ok
}
