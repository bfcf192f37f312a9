package policy

import "time"

// Window is when a journey may send: From–To local time on Days. Like
// QuietHours, From > To wraps past midnight and belongs to the day it
// starts on; From and To both empty means the whole day; Days empty means
// every day.
type Window struct {
	Days     []time.Weekday
	From, To string // 24h HH:MM; From inclusive, To exclusive
}

// Validate reports a malformed window; errors match ErrInvalid.
func (w Window) Validate() error {
	_, err := w.compile()
	return err
}

// Next is the first allowed instant at or after now, in loc: now itself when
// now is inside the window. Window edges follow the package's DST rule (an
// opening time skipped by spring-forward opens at the transition). An
// invalid Window allows every instant (Next returns now).
func (w Window) Next(now time.Time, loc *time.Location) time.Time {
	loc = orUTC(loc)
	p, err := w.compile()
	if err != nil || (p.allDay && p.days == 0) {
		return now.In(loc)
	}
	today := dateOf(now, loc)
	// Periods are disjoint and ordered by start date, so the first one that
	// has not ended holds the answer. A period can vanish in a DST gap, so
	// look past the next week.
	for k := -1; k <= 370; k++ {
		s, e, ok := p.period(today.addDays(k), loc)
		if !ok || !now.Before(e) {
			continue
		}
		if now.Before(s) {
			return s
		}
		return now.In(loc)
	}
	return time.Time{} // unreachable for a valid window
}

func (w Window) compile() (daily, error) {
	var p daily
	var err error
	if p.days, err = dayMask("window days", w.Days); err != nil {
		return p, err
	}
	switch {
	case w.From == "" && w.To == "":
		p.allDay = true
		return p, nil
	case w.From == "" || w.To == "":
		return p, invalidf("window: give both from and to, or neither for the whole day")
	}
	if p.start, err = parseMinute("window from", w.From); err != nil {
		return p, err
	}
	if p.end, err = parseMinute("window to", w.To); err != nil {
		return p, err
	}
	if p.start == p.end {
		return p, invalidf("window from and to are both %s: leave both empty for the whole day", w.From)
	}
	return p, nil
}

// NextLocalTime is the first instant at or after now at which the wall clock
// in loc reads hh:mm on one of days (empty means every day): the calendar
// delay "wait until Tuesday 09:00". now itself qualifies when it is exactly
// that time. Each local date has one occurrence: on a fall-back day a
// repeated hh:mm is its first occurrence only, and on a spring-forward day a
// skipped hh:mm is the transition instant. hh outside 0–23, mm outside
// 0–59 or a weekday outside Sunday–Saturday give the zero Time.
func NextLocalTime(now time.Time, loc *time.Location, hh, mm int, days []time.Weekday) time.Time {
	loc = orUTC(loc)
	mask, err := dayMask("days", days)
	if err != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return time.Time{}
	}
	today := dateOf(now, loc)
	for k := range 15 {
		d := today.addDays(k)
		if mask != 0 && mask&(1<<d.weekday()) == 0 {
			continue
		}
		if t := d.at(loc, hh*60+mm); !t.Before(now) {
			return t
		}
	}
	return time.Time{} // unreachable: some allowed day comes within two weeks
}
