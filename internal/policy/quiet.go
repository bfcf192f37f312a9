package policy

import (
	"fmt"
	"time"
)

// What a sender does with a message that falls in quiet hours.
const (
	OnQuietDefer = "defer" // send at resumeAt (re-check caps then)
	OnQuietSkip  = "skip"  // drop it with reason "quiet"
)

// QuietHours is a daily period, on the customer's wall clock, in which no
// message goes out.
type QuietHours struct {
	Start string // "21:00": 24h HH:MM, inclusive
	End   string // "08:00": exclusive; Start > End wraps past midnight
	// Days on which quiet hours apply, by the local day on which the quiet
	// period starts: with 21:00–08:00 and Days [Friday], Friday 21:00 to
	// Saturday 08:00 is quiet. Empty means every day.
	Days    []time.Weekday
	OnQuiet string // OnQuietDefer (the default when empty) or OnQuietSkip
}

// Validate reports a malformed configuration; errors match ErrInvalid.
func (q QuietHours) Validate() error {
	if _, err := q.compile(); err != nil {
		return err
	}
	switch q.OnQuiet {
	case "", OnQuietDefer, OnQuietSkip:
		return nil
	}
	return invalidf("quiet hours on_quiet %q: want %q or %q", q.OnQuiet, OnQuietDefer, OnQuietSkip)
}

// Check reports whether now falls in quiet hours in loc, and resumeAt: the
// first instant at or after now that is outside quiet hours (now itself when
// not quiet), in loc. Boundaries are wall-clock times resolved by the
// package's DST rule: a quiet period ending at 02:30 on a spring-forward day
// ends at the transition (03:00 local); one that starts and ends inside the
// skipped hour is empty that day. An invalid QuietHours is never quiet.
func (q QuietHours) Check(now time.Time, loc *time.Location) (quiet bool, resumeAt time.Time) {
	loc = orUTC(loc)
	p, err := q.compile()
	if err != nil {
		return false, now.In(loc)
	}
	t := now
	// Periods on consecutive days never overlap, so one step suffices; the
	// loop only guards against odd zone histories.
	for range 4 {
		moved := false
		today := dateOf(t, loc)
		for _, d := range [2]civil{today.addDays(-1), today} {
			if s, e, ok := p.period(d, loc); ok && !t.Before(s) && t.Before(e) {
				t, moved = e, true
				break
			}
		}
		if !moved {
			break
		}
	}
	return !t.Equal(now), t.In(loc)
}

func (q QuietHours) compile() (daily, error) {
	var p daily
	var err error
	if p.start, err = parseMinute("quiet hours start", q.Start); err != nil {
		return p, err
	}
	if p.end, err = parseMinute("quiet hours end", q.End); err != nil {
		return p, err
	}
	if p.start == p.end {
		return p, invalidf("quiet hours start and end are both %s: the period would be empty or all day", q.Start)
	}
	if p.days, err = dayMask("quiet hours days", q.Days); err != nil {
		return p, err
	}
	return p, nil
}

// daily is a compiled daily period: [start, end) minutes of the day, or the
// whole day, on the weekdays in days (a bit mask; 0 means every day).
type daily struct {
	start, end int
	allDay     bool
	days       uint8
}

// period is the period that starts on date d, if d is one of its days and
// the period is not empty after DST resolution.
func (p daily) period(d civil, loc *time.Location) (s, e time.Time, ok bool) {
	if p.days != 0 && p.days&(1<<d.weekday()) == 0 {
		return s, e, false
	}
	if p.allDay {
		s, e = d.at(loc, 0), d.addDays(1).at(loc, 0)
	} else {
		s = d.at(loc, p.start)
		if p.end > p.start {
			e = d.at(loc, p.end)
		} else {
			e = d.addDays(1).at(loc, p.end)
		}
	}
	return s, e, s.Before(e)
}

func dayMask(what string, days []time.Weekday) (uint8, error) {
	var m uint8
	for _, d := range days {
		if d < time.Sunday || d > time.Saturday {
			return 0, invalidf("%s: weekday %d is not 0 (Sunday) to 6 (Saturday)", what, int(d))
		}
		m |= 1 << d
	}
	return m, nil
}

// ParseHHMM parses a 24-hour time of day written exactly HH:MM, from 00:00
// to 23:59. Errors match ErrInvalid.
func ParseHHMM(s string) (hour, minute int, err error) {
	if len(s) != 5 || s[2] != ':' || !isDigit(s[0]) || !isDigit(s[1]) || !isDigit(s[3]) || !isDigit(s[4]) {
		return 0, 0, invalidf("time of day %q: want HH:MM, e.g. 08:30", s)
	}
	hour, minute = int(s[0]-'0')*10+int(s[1]-'0'), int(s[3]-'0')*10+int(s[4]-'0')
	if hour > 23 || minute > 59 {
		return 0, 0, invalidf("time of day %q: want 00:00 to 23:59", s)
	}
	return hour, minute, nil
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func parseMinute(what, s string) (int, error) {
	h, m, err := ParseHHMM(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return h*60 + m, nil
}
