package policy

import "time"

// This file turns local wall-clock readings into instants, the one place the
// DST rules of the package live:
//
//   - nonexistent wall time (spring-forward gap): the first instant after it,
//     i.e. the transition instant; 02:30 on a New York spring-forward day is
//     03:00 EDT, not 03:30 (time.Date's choice is unspecified);
//   - repeated wall time (fall-back overlap): the first, earlier occurrence;
//     01:30 on a New York fall-back day is 01:30 EDT.

// civil is a calendar date without a zone.
type civil struct {
	y int
	m time.Month
	d int
}

// dateOf is the local calendar date of t in loc.
func dateOf(t time.Time, loc *time.Location) civil {
	y, m, d := t.In(loc).Date()
	return civil{y, m, d}
}

// addDays moves the date by n days (n may be negative).
func (c civil) addDays(n int) civil {
	y, m, d := time.Date(c.y, c.m, c.d+n, 12, 0, 0, 0, time.UTC).Date()
	return civil{y, m, d}
}

func (c civil) weekday() time.Weekday {
	return time.Date(c.y, c.m, c.d, 12, 0, 0, 0, time.UTC).Weekday()
}

// monday is the Monday on or before c (ISO weeks start on Monday).
func (c civil) monday() civil {
	return c.addDays(-((int(c.weekday()) + 6) % 7))
}

// at is the instant of minute-of-day mod (0..1439, or 1440 for the next
// midnight) on date c in loc.
func (c civil) at(loc *time.Location, mod int) time.Time {
	return wallTime(loc, c.y, c.m, c.d, mod/60, mod%60)
}

// wallTime is the instant at which the wall clock in loc reads
// y-m-d hh:mm:00, with the gap and overlap rules above. Out-of-range fields
// normalize as in time.Date (hh 24 is the next day's midnight).
func wallTime(loc *time.Location, y int, m time.Month, d, hh, mm int) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	u := time.Date(y, m, d, hh, mm, 0, 0, time.UTC) // the wall reading as if UTC
	guess := time.Date(y, m, d, hh, mm, 0, 0, loc)
	var offs [3]int
	_, offs[0] = u.Add(-24 * time.Hour).In(loc).Zone()
	_, offs[1] = guess.Zone()
	_, offs[2] = u.Add(24 * time.Hour).In(loc).Zone()
	var best time.Time
	found := false
	for _, off := range offs {
		c := u.Add(-time.Duration(off) * time.Second)
		if _, got := c.In(loc).Zone(); got != off {
			continue // reading u with this offset is not a valid instant
		}
		if !found || c.Before(best) {
			best, found = c, true
		}
	}
	if found {
		return best.In(loc)
	}
	// A gap: read u with the offset in force before it; that instant lies
	// after the transition, whose start is the first valid instant.
	after := u.Add(-time.Duration(offs[0]) * time.Second).In(loc)
	if start, _ := after.ZoneBounds(); !start.IsZero() && !start.After(after) {
		return start.In(loc)
	}
	return guess // more than one transition within a day: unspecified, as time.Date
}

// orUTC returns loc, or UTC when loc is nil.
func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
