package policy

import (
	"strings"
	"time"
)

var weekdayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseWeekday reads a three-letter day name (mon, tue, ... any case).
func ParseWeekday(name string) (time.Weekday, bool) {
	d, ok := weekdayNames[strings.ToLower(name)]
	return d, ok
}

// Weekdays maps validated day names to weekdays; unknown names are dropped.
func Weekdays(names []string) []time.Weekday {
	out := make([]time.Weekday, 0, len(names))
	for _, n := range names {
		if d, ok := ParseWeekday(n); ok {
			out = append(out, d)
		}
	}
	return out
}
