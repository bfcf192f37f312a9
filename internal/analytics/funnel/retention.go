package funnel

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Retention periods.
const (
	Day   = "day"
	Week  = "week"
	Month = "month"
)

// MaxPeriods bounds the retention matrix width.
const MaxPeriods = 60

// RetentionSpec is a validated retention request.
type RetentionSpec struct {
	CohortEvent string
	ReturnEvent string
	Period      string // day, week (ISO, from Monday) or month; default week
	Periods     int    // periods after the cohort's; default 8
	Since       time.Time
	Until       time.Time
	Now         time.Time // periods starting after Now are left out; zero: none are
}

// Validate checks the spec and fills defaults.
func (s *RetentionSpec) Validate() error {
	if s.CohortEvent == "" || s.ReturnEvent == "" {
		return fmt.Errorf("%w: retention needs a cohort event and a return event", ErrInvalid)
	}
	switch s.Period {
	case "":
		s.Period = Week
	case Day, Week, Month:
	default:
		return fmt.Errorf("%w: period %q must be day, week or month", ErrInvalid, s.Period)
	}
	if s.Periods == 0 {
		s.Periods = 8
	}
	if s.Periods < 1 || s.Periods > MaxPeriods {
		return fmt.Errorf("%w: periods %d must be between 1 and %d", ErrInvalid, s.Periods, MaxPeriods)
	}
	return checkRange(s.Since, s.Until)
}

// Need keeps both events even from excluded sources.
func (s *RetentionSpec) Need() Need { return Need{Keep: []string{s.CohortEvent, s.ReturnEvent}} }

// RetentionRow is one cohort. Retained[k] is the number of members with a
// return event in period k (0: the cohort period, after the cohort event).
type RetentionRow struct {
	Cohort   time.Time `json:"cohort"` // period start, UTC
	Size     int       `json:"size"`
	Retained []int     `json:"retained"`
	Rates    []float64 `json:"rates"`
}

// RetentionResult is the cohort matrix, oldest cohort first.
type RetentionResult struct {
	Period string         `json:"period"`
	Rows   []RetentionRow `json:"rows"`
}

// Retention accumulates a cohort retention matrix.
type Retention struct {
	spec     RetentionSpec
	rows     map[time.Time]*RetentionRow
	seen     map[string]bool
	anyEvent bool
	hit      []bool // scratch
}

// NewRetention validates spec and returns an empty accumulator.
func NewRetention(spec RetentionSpec) (*Retention, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	return &Retention{spec: spec, rows: map[time.Time]*RetentionRow{}, seen: map[string]bool{},
		hit: make([]bool, spec.Periods+1)}, nil
}

// Add feeds one profile's history.
func (r *Retention) Add(h *History) {
	if len(h.Events) > 0 {
		r.anyEvent = true
	}
	first := -1
	for i := range h.Events {
		n := h.Events[i].Name
		if n == r.spec.CohortEvent || n == r.spec.ReturnEvent {
			r.seen[n] = true
		}
		if first < 0 && n == r.spec.CohortEvent {
			first = i
		}
	}
	if first < 0 || !inRange(h.Events[first].Timestamp, r.spec.Since, r.spec.Until) {
		return
	}
	start := periodStart(h.Events[first].Timestamp, r.spec.Period)
	clear(r.hit)
	for i := first + 1; i < len(h.Events); i++ {
		if h.Events[i].Name != r.spec.ReturnEvent {
			continue
		}
		if k := periodIndex(start, h.Events[i].Timestamp, r.spec.Period); k >= 0 && k <= r.spec.Periods {
			r.hit[k] = true
		}
	}
	row := r.rows[start]
	if row == nil {
		row = &RetentionRow{Cohort: start, Retained: make([]int, r.spec.Periods+1)}
		r.rows[start] = row
	}
	row.Size++
	for k, ok := range r.hit {
		if ok {
			row.Retained[k]++
		}
	}
}

// Result returns the matrix, or ErrUnknown naming an event no stored event has.
func (r *Retention) Result() (RetentionResult, error) {
	if r.anyEvent {
		var missing []string
		for _, n := range []string{r.spec.CohortEvent, r.spec.ReturnEvent} {
			if !r.seen[n] {
				missing = append(missing, fmt.Sprintf("%q", n))
			}
		}
		if missing = slices.Compact(missing); len(missing) > 0 {
			return RetentionResult{}, fmt.Errorf("%w: no stored event is named %s", ErrUnknown, strings.Join(missing, " or "))
		}
	}
	res := RetentionResult{Period: r.spec.Period, Rows: make([]RetentionRow, 0, len(r.rows))}
	for _, row := range r.rows {
		n := len(row.Retained)
		if !r.spec.Now.IsZero() {
			n = 0
			for n < len(row.Retained) && !addPeriods(row.Cohort, n, r.spec.Period).After(r.spec.Now) {
				n++
			}
		}
		out := RetentionRow{Cohort: row.Cohort, Size: row.Size, Retained: row.Retained[:n], Rates: make([]float64, n)}
		for k, c := range out.Retained {
			out.Rates[k] = ratio(c, row.Size)
		}
		res.Rows = append(res.Rows, out)
	}
	slices.SortFunc(res.Rows, func(a, b RetentionRow) int { return a.Cohort.Compare(b.Cohort) })
	return res, nil
}

func periodStart(t time.Time, period string) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch period {
	case Week:
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	case Month:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return day
}

func addPeriods(start time.Time, k int, period string) time.Time {
	switch period {
	case Week:
		return start.AddDate(0, 0, 7*k)
	case Month:
		return start.AddDate(0, k, 0)
	}
	return start.AddDate(0, 0, k)
}

// periodIndex is the number of periods from start (a period start) to t's period.
func periodIndex(start, t time.Time, period string) int {
	p := periodStart(t, period)
	switch period {
	case Month:
		return (p.Year()-start.Year())*12 + int(p.Month()) - int(start.Month())
	case Week:
		return int(p.Sub(start).Hours()/24) / 7
	}
	return int(p.Sub(start).Hours() / 24)
}
