package report

import (
	"fmt"
	"time"
)

// Period is the bucket of a stage flow.
type Period string

// Periods, in UTC; weeks start on Monday.
const (
	Day   Period = "day"
	Week  Period = "week"
	Month Period = "month"
)

// MaxPeriods bounds the periods of one flow.
const MaxPeriods = 1000

// ParsePeriod reads day, week or month.
func ParsePeriod(s string) (Period, error) {
	switch p := Period(s); p {
	case Day, Week, Month:
		return p, nil
	}
	return "", fmt.Errorf("%w: period %q is not day, week or month", ErrInvalid, s)
}

// Floor is the start of the period holding t.
func (p Period) Floor(t time.Time) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch p {
	case Week:
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	case Month:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return day
}

// Next is the start of the period after the one starting at t.
func (p Period) Next(t time.Time) time.Time {
	switch p {
	case Week:
		return t.AddDate(0, 0, 7)
	case Month:
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(0, 0, 1)
}

// bounds lists the period starts from Floor(since) up to the first start
// at or after until, both included.
func (p Period) bounds(since, until time.Time) ([]time.Time, error) {
	out := []time.Time{p.Floor(since)}
	for out[len(out)-1].Before(until) {
		if len(out) > MaxPeriods {
			return nil, fmt.Errorf("%w: more than %d periods; narrow since/until or use a longer period", ErrInvalid, MaxPeriods)
		}
		out = append(out, p.Next(out[len(out)-1]))
	}
	if len(out) == 1 {
		out = append(out, p.Next(out[0]))
	}
	return out, nil
}
