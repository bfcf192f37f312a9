package policy

import (
	"slices"
	"time"
)

// Frequency cap units.
const (
	UnitMinute = "minute"
	UnitHour   = "hour"
	UnitDay    = "day"
	UnitWeek   = "week"
)

// maxCapWindow bounds a cap's window (13 weeks) so the history a caller
// must load stays small.
const maxCapWindow = 13 * 7 * 24 * time.Hour

// CapRule limits how many messages a profile receives across journeys:
// at most Limit in Per Units, counting sends on Channel ("" = every channel)
// carrying Tag ("" = any). Channel and Tag compare exactly.
//
// Windows, at the instant now, in the customer's zone:
//   - minute, hour: rolling, the sends after now − Per·unit (a send exactly
//     one hour old no longer counts against "1 per hour");
//   - day: calendar days, the sends at or after local midnight of the day
//     Per−1 days before today (Braze's "calendar days in user local time");
//   - week: calendar weeks starting Monday 00:00 local, the sends at or
//     after the Monday Per−1 weeks before this week's.
//
// Sends dated after now (clock skew between nodes) count too.
type CapRule struct {
	ID      string `json:"id"`
	Channel string `json:"channel,omitempty"`
	Tag     string `json:"tag,omitempty"`
	Limit   int    `json:"limit"`
	Per     int    `json:"per"`
	Unit    string `json:"unit"`
}

// Validate reports a malformed rule; errors match ErrInvalid. Limit and Per
// must be at least 1 (use consent, not a cap of 0, to stop a channel) and the
// window at most 13 weeks.
func (r CapRule) Validate() error {
	switch {
	case r.ID == "":
		return invalidf("frequency cap: missing id")
	case r.Limit < 1:
		return invalidf("frequency cap %s: limit %d must be at least 1", r.ID, r.Limit)
	case r.Per < 1:
		return invalidf("frequency cap %s: per %d must be at least 1", r.ID, r.Per)
	}
	unit, ok := unitLength(r.Unit)
	if !ok {
		return invalidf("frequency cap %s: unit %q: want minute, hour, day or week", r.ID, r.Unit)
	}
	if int64(r.Per) > int64(maxCapWindow/unit) {
		return invalidf("frequency cap %s: window %d %ss is longer than 13 weeks", r.ID, r.Per, r.Unit)
	}
	return nil
}

func unitLength(u string) (time.Duration, bool) {
	switch u {
	case UnitMinute:
		return time.Minute, true
	case UnitHour:
		return time.Hour, true
	case UnitDay:
		return 24 * time.Hour, true
	case UnitWeek:
		return 7 * 24 * time.Hour, true
	}
	return 0, false
}

// Sent is one message already sent to the profile.
type Sent struct {
	At            time.Time
	Channel       string
	Tags          []string
	Transactional bool // never counted by caps
}

// Candidate is the message about to be sent.
type Candidate struct {
	Channel       string
	Tags          []string
	Transactional bool // never capped
}

// Decision is the verdict of CheckCaps.
type Decision struct {
	Allowed bool
	// RuleID is the violated rule that holds the message longest (the first
	// such rule in order on a tie); empty when allowed.
	RuleID string
	// RetryAt is the earliest instant at which every rule passes if nothing
	// else is sent meanwhile, in loc; now when allowed. A journey waits
	// until then rather than skipping the step.
	RetryAt time.Time
}

// CheckCaps decides whether c may be sent at now. A rule applies when its
// Channel and Tag match the candidate, and counts the history entries that
// match it the same way; every applicable rule must allow one more send
// (count < Limit). A transactional candidate is always allowed, and
// transactional sends in history never count: receipts and password resets
// neither wait for caps nor use them up. Invalid rules are ignored; validate
// rules when they are saved. history may be in any order and may hold
// entries older than Lookback.
func CheckCaps(rules []CapRule, history []Sent, c Candidate, now time.Time, loc *time.Location) Decision {
	loc = orUTC(loc)
	allowed := Decision{Allowed: true, RetryAt: now.In(loc)}
	if c.Transactional {
		return allowed
	}
	d := allowed
	times := make([]time.Time, 0, len(history)) // matching sends in a window, reused across rules
	for _, r := range rules {
		if !r.appliesTo(c.Channel, c.Tags) || r.Validate() != nil {
			continue
		}
		start := WindowStart(r, now, loc)
		rolling := r.Unit == UnitMinute || r.Unit == UnitHour
		times = times[:0]
		for i := range history {
			s := &history[i]
			if s.Transactional || !r.appliesTo(s.Channel, s.Tags) {
				continue
			}
			if s.At.After(start) || (!rolling && s.At.Equal(start)) {
				times = append(times, s.At)
			}
		}
		if len(times) < r.Limit {
			continue
		}
		// One more send fits once the k-th oldest send in the window (and
		// every older one) has left it.
		slices.SortFunc(times, time.Time.Compare)
		kth := times[len(times)-r.Limit]
		retry := r.leaves(kth, loc)
		if d.Allowed || retry.After(d.RetryAt) {
			d = Decision{RuleID: r.ID, RetryAt: retry}
		}
	}
	return d
}

func (r CapRule) appliesTo(channel string, tags []string) bool {
	return (r.Channel == "" || r.Channel == channel) && (r.Tag == "" || slices.Contains(tags, r.Tag))
}

// leaves is the first instant at which a send at t is outside the window.
func (r CapRule) leaves(t time.Time, loc *time.Location) time.Time {
	switch r.Unit {
	case UnitDay:
		return dateOf(t, loc).addDays(r.Per).at(loc, 0)
	case UnitWeek:
		return dateOf(t, loc).monday().addDays(7*r.Per).at(loc, 0)
	}
	unit, _ := unitLength(r.Unit)
	return t.Add(time.Duration(r.Per) * unit).In(loc)
}

// WindowStart is where rule r's window begins at now (see CapRule): rolling
// windows exclude this instant, calendar windows include it. An invalid rule
// gives now.
func WindowStart(r CapRule, now time.Time, loc *time.Location) time.Time {
	loc = orUTC(loc)
	if r.Validate() != nil {
		return now.In(loc)
	}
	switch r.Unit {
	case UnitDay:
		return dateOf(now, loc).addDays(-(r.Per - 1)).at(loc, 0)
	case UnitWeek:
		return dateOf(now, loc).monday().addDays(-7*(r.Per-1)).at(loc, 0)
	}
	unit, _ := unitLength(r.Unit)
	return now.Add(-time.Duration(r.Per) * unit).In(loc)
}

// Lookback is the earliest WindowStart over rules (now when there are none):
// load the history sent at or after it, and CheckCaps sees every send that
// can count.
func Lookback(rules []CapRule, now time.Time, loc *time.Location) time.Time {
	earliest := now.In(orUTC(loc))
	for _, r := range rules {
		if s := WindowStart(r, now, loc); s.Before(earliest) {
			earliest = s
		}
	}
	return earliest
}
