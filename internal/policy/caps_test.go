package policy

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCapRuleValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		r    CapRule
		ok   bool
	}{
		{"email per day", CapRule{ID: "a", Channel: "email", Limit: 2, Per: 1, Unit: UnitDay}, true},
		{"tag per week", CapRule{ID: "a", Tag: "promo", Limit: 1, Per: 2, Unit: UnitWeek}, true},
		{"rolling minutes", CapRule{ID: "a", Limit: 1, Per: 30, Unit: UnitMinute}, true},
		{"13 weeks", CapRule{ID: "a", Limit: 1, Per: 13, Unit: UnitWeek}, true},
		{"91 days", CapRule{ID: "a", Limit: 1, Per: 91, Unit: UnitDay}, true},
		{"no id", CapRule{Limit: 1, Per: 1, Unit: UnitDay}, false},
		{"zero limit", CapRule{ID: "a", Limit: 0, Per: 1, Unit: UnitDay}, false},
		{"zero per", CapRule{ID: "a", Limit: 1, Per: 0, Unit: UnitDay}, false},
		{"bad unit", CapRule{ID: "a", Limit: 1, Per: 1, Unit: "month"}, false},
		{"plural unit", CapRule{ID: "a", Limit: 1, Per: 1, Unit: "days"}, false},
		{"14 weeks", CapRule{ID: "a", Limit: 1, Per: 14, Unit: UnitWeek}, false},
		{"92 days", CapRule{ID: "a", Limit: 1, Per: 92, Unit: UnitDay}, false},
		{"huge per", CapRule{ID: "a", Limit: 1, Per: 1 << 62, Unit: UnitMinute}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.r.Validate()
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, ErrInvalid)
			}
		})
	}
}

func TestWindowStart(t *testing.T) {
	t.Parallel()
	rule := func(per int, unit string) CapRule { return CapRule{ID: "r", Limit: 1, Per: per, Unit: unit} }
	cases := []struct {
		name, zone string
		r          CapRule
		now, want  string
	}{
		{"30 minutes", "UTC", rule(30, UnitMinute), "2026-06-10T12:00:00Z", "2026-06-10T11:30:00Z"},
		{"24 hours across spring forward", "America/New_York", rule(24, UnitHour), "2026-03-08T12:00:00-04:00", "2026-03-07T11:00:00-05:00"},
		{"today", "America/New_York", rule(1, UnitDay), "2026-06-10T15:00:00-04:00", "2026-06-10T00:00:00-04:00"},
		{"last 7 days", "America/New_York", rule(7, UnitDay), "2026-06-10T15:00:00-04:00", "2026-06-04T00:00:00-04:00"},
		{"2 days across spring forward", "America/New_York", rule(2, UnitDay), "2026-03-09T10:00:00-04:00", "2026-03-08T00:00:00-05:00"},
		{"fall back day", "America/Los_Angeles", rule(1, UnitDay), "2026-11-01T23:00:00-08:00", "2026-11-01T00:00:00-07:00"},
		{"midnight does not exist", "America/Havana", rule(1, UnitDay), "2026-03-08T12:00:00-04:00", "2026-03-08T01:00:00-04:00"},
		{"this week from sunday", "Europe/Berlin", rule(1, UnitWeek), "2026-03-29T12:00:00+02:00", "2026-03-23T00:00:00+01:00"},
		{"two weeks", "Europe/Berlin", rule(2, UnitWeek), "2026-03-29T12:00:00+02:00", "2026-03-16T00:00:00+01:00"},
		{"monday midnight is its own week", "Europe/Berlin", rule(1, UnitWeek), "2026-03-30T00:00:00+02:00", "2026-03-30T00:00:00+02:00"},
		{"sydney day after fall back", "Australia/Sydney", rule(1, UnitDay), "2026-04-05T10:00:00+10:00", "2026-04-05T00:00:00+11:00"},
		{"kolkata week", "Asia/Kolkata", rule(1, UnitWeek), "2026-06-10T03:00:00+05:30", "2026-06-08T00:00:00+05:30"},
		{"chatham day", "Pacific/Chatham", rule(1, UnitDay), "2026-09-27T12:00:00+13:45", "2026-09-27T00:00:00+12:45"},
		{"invalid rule", "UTC", rule(0, UnitDay), "2026-06-10T12:00:00Z", "2026-06-10T12:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			loc := zone(t, tc.zone)
			got := WindowStart(tc.r, ts(t, tc.now), loc)
			requireInstant(t, ts(t, tc.want), got)
			require.Same(t, loc, got.Location())
		})
	}
}

func TestLookback(t *testing.T) {
	t.Parallel()
	ny := zone(t, "America/New_York")
	now := ts(t, "2026-06-10T12:00:00-04:00")
	rules := []CapRule{
		{ID: "h", Limit: 3, Per: 6, Unit: UnitHour},
		{ID: "w", Limit: 3, Per: 1, Unit: UnitWeek},
		{ID: "d", Limit: 3, Per: 3, Unit: UnitDay},
		{ID: "bad", Limit: 3, Per: 99, Unit: UnitWeek}, // invalid: ignored
	}
	requireInstant(t, ts(t, "2026-06-08T00:00:00-04:00"), Lookback(rules, now, ny))
	requireInstant(t, now, Lookback(nil, now, ny))
	requireInstant(t, ts(t, "2026-06-10T06:00:00-04:00"), Lookback(rules[:1], now, ny))
}

func TestCheckCaps(t *testing.T) {
	t.Parallel()
	emailDay := CapRule{ID: "email-day", Channel: "email", Limit: 2, Per: 1, Unit: UnitDay}
	anyHour := CapRule{ID: "any-hour", Limit: 3, Per: 1, Unit: UnitHour}
	promoWeek := CapRule{ID: "promo-week", Tag: "promo", Limit: 1, Per: 1, Unit: UnitWeek}
	oncePerHour := CapRule{ID: "once-hour", Limit: 1, Per: 1, Unit: UnitHour}
	twoIn2Days := CapRule{ID: "two-2d", Limit: 2, Per: 2, Unit: UnitDay}
	all := []CapRule{emailDay, anyHour, promoWeek}
	email := Candidate{Channel: "email"}
	sent := func(at, channel string, tags ...string) Sent {
		return Sent{At: ts(t, at), Channel: channel, Tags: tags}
	}
	const now = "2026-06-10T12:00:00-04:00" // a Wednesday
	cases := []struct {
		name    string
		zone    string // default America/New_York
		now     string // default now
		rules   []CapRule
		history []Sent
		c       Candidate
		rule    string // "" = allowed
		retry   string
	}{
		{name: "no history", rules: all, c: email},
		{name: "no rules", history: []Sent{sent("2026-06-10T11:59:00-04:00", "email")}, c: email},
		{
			name: "email cap reached today", rules: all, c: email,
			history: []Sent{sent("2026-06-10T08:00:00-04:00", "email"), sent("2026-06-10T10:00:00-04:00", "email")},
			rule:    "email-day", retry: "2026-06-11T00:00:00-04:00",
		},
		{
			name: "yesterday does not count", rules: all, c: email,
			history: []Sent{sent("2026-06-09T23:59:59-04:00", "email"), sent("2026-06-10T08:00:00-04:00", "email")},
		},
		{
			name: "midnight counts for the new day", rules: all, c: email,
			history: []Sent{sent("2026-06-10T00:00:00-04:00", "email"), sent("2026-06-10T08:00:00-04:00", "email")},
			rule:    "email-day", retry: "2026-06-11T00:00:00-04:00",
		},
		{
			name: "other channel's rule does not apply", rules: all, c: Candidate{Channel: "sms"},
			history: []Sent{sent("2026-06-10T08:00:00-04:00", "email"), sent("2026-06-10T10:00:00-04:00", "email")},
		},
		{
			name: "other channels do not count", rules: all, c: email,
			history: []Sent{sent("2026-06-10T08:00:00-04:00", "sms"), sent("2026-06-10T10:00:00-04:00", "push")},
		},
		{
			name: "rolling hour across channels", rules: all, c: email,
			history: []Sent{sent("2026-06-10T11:10:00-04:00", "sms"), sent("2026-06-10T11:20:00-04:00", "push"), sent("2026-06-10T11:30:00-04:00", "sms")},
			rule:    "any-hour", retry: "2026-06-10T12:10:00-04:00",
		},
		{
			name: "rolling retry waits for enough sends to age out", rules: all, c: Candidate{Channel: "sms"},
			history: []Sent{
				sent("2026-06-10T11:30:00-04:00", "sms"), sent("2026-06-10T11:05:00-04:00", "sms"),
				sent("2026-06-10T11:20:00-04:00", "sms"), sent("2026-06-10T11:10:00-04:00", "sms"),
			},
			rule: "any-hour", retry: "2026-06-10T12:10:00-04:00",
		},
		{
			name: "a send exactly one hour old has aged out", rules: []CapRule{oncePerHour}, c: email,
			history: []Sent{sent("2026-06-10T11:00:00-04:00", "email")},
		},
		{
			name: "a send just under an hour old holds", rules: []CapRule{oncePerHour}, c: email,
			history: []Sent{sent("2026-06-10T11:00:01-04:00", "email")},
			rule:    "once-hour", retry: "2026-06-10T12:00:01-04:00",
		},
		{
			name: "transactional candidate is never capped", rules: all, c: Candidate{Channel: "email", Transactional: true},
			history: []Sent{sent("2026-06-10T11:10:00-04:00", "email"), sent("2026-06-10T11:20:00-04:00", "email"), sent("2026-06-10T11:30:00-04:00", "email")},
		},
		{
			name: "transactional sends do not count", rules: all, c: email,
			history: []Sent{
				{At: ts(t, "2026-06-10T08:00:00-04:00"), Channel: "email", Transactional: true},
				{At: ts(t, "2026-06-10T10:00:00-04:00"), Channel: "email", Transactional: true},
			},
		},
		{
			name: "tagged weekly cap", rules: all, c: Candidate{Channel: "push", Tags: []string{"news", "promo"}},
			history: []Sent{sent("2026-06-08T09:00:00-04:00", "email", "promo")},
			rule:    "promo-week", retry: "2026-06-15T00:00:00-04:00",
		},
		{
			name: "untagged candidate skips tag rule", rules: all, c: Candidate{Channel: "push", Tags: []string{"news"}},
			history: []Sent{sent("2026-06-08T09:00:00-04:00", "email", "promo")},
		},
		{
			name: "last week's promo does not count", rules: all, c: Candidate{Channel: "push", Tags: []string{"promo"}},
			history: []Sent{sent("2026-06-07T23:00:00-04:00", "email", "promo")},
		},
		{
			name: "several violated: the longest wait wins", rules: all, c: Candidate{Channel: "email", Tags: []string{"promo"}},
			history: []Sent{
				sent("2026-06-10T11:10:00-04:00", "email"), sent("2026-06-10T11:20:00-04:00", "email", "promo"),
				sent("2026-06-10T11:30:00-04:00", "sms"),
			},
			rule: "promo-week", retry: "2026-06-15T00:00:00-04:00",
		},
		{
			name: "tie keeps the first rule", c: email,
			rules:   []CapRule{{ID: "x", Limit: 1, Per: 1, Unit: UnitDay}, {ID: "y", Channel: "email", Limit: 1, Per: 1, Unit: UnitDay}},
			history: []Sent{sent("2026-06-10T08:00:00-04:00", "email")},
			rule:    "x", retry: "2026-06-11T00:00:00-04:00",
		},
		{
			name: "two per two days", rules: []CapRule{twoIn2Days}, c: email,
			history: []Sent{sent("2026-06-09T10:00:00-04:00", "email"), sent("2026-06-10T09:00:00-04:00", "sms")},
			rule:    "two-2d", retry: "2026-06-11T00:00:00-04:00",
		},
		{
			name: "two per two days, later sends hold longer", rules: []CapRule{twoIn2Days}, c: email,
			history: []Sent{sent("2026-06-10T01:00:00-04:00", "email"), sent("2026-06-10T09:00:00-04:00", "sms")},
			rule:    "two-2d", retry: "2026-06-12T00:00:00-04:00",
		},
		{
			name: "future-dated send counts", rules: []CapRule{oncePerHour}, c: email,
			history: []Sent{sent("2026-06-10T12:05:00-04:00", "email")},
			rule:    "once-hour", retry: "2026-06-10T13:05:00-04:00",
		},
		{
			name: "invalid rule ignored", rules: []CapRule{{ID: "bad", Limit: 0, Per: 1, Unit: UnitDay}}, c: email,
			history: []Sent{sent("2026-06-10T08:00:00-04:00", "email")},
		},
		{
			name: "day is local to the customer: kolkata", zone: "Asia/Kolkata", now: "2026-06-10T03:00:00Z",
			rules: []CapRule{emailDay}, c: email,
			history: []Sent{sent("2026-06-09T18:00:00Z", "email"), sent("2026-06-09T18:20:00Z", "email")},
		},
		{
			name: "day is local to the customer: new york", now: "2026-06-10T03:00:00Z",
			rules: []CapRule{emailDay}, c: email,
			history: []Sent{sent("2026-06-09T18:00:00Z", "email"), sent("2026-06-09T18:20:00Z", "email")},
			rule:    "email-day", retry: "2026-06-10T00:00:00-04:00",
		},
		{
			name: "25-hour day at fall back", zone: "America/Los_Angeles", now: "2026-11-01T23:00:00-08:00",
			rules: []CapRule{emailDay}, c: email,
			history: []Sent{sent("2026-11-01T00:30:00-07:00", "email"), sent("2026-11-01T01:30:00-08:00", "email")},
			rule:    "email-day", retry: "2026-11-02T00:00:00-08:00",
		},
		{
			name: "week across spring forward", zone: "Europe/Berlin", now: "2026-03-29T20:00:00+02:00",
			rules: []CapRule{promoWeek}, c: Candidate{Channel: "email", Tags: []string{"promo"}},
			history: []Sent{sent("2026-03-23T00:00:00+01:00", "email", "promo")},
			rule:    "promo-week", retry: "2026-03-30T00:00:00+02:00",
		},
		{
			name: "sydney week", zone: "Australia/Sydney", now: "2026-04-05T10:00:00+10:00",
			rules: []CapRule{promoWeek}, c: Candidate{Channel: "email", Tags: []string{"promo"}},
			history: []Sent{sent("2026-03-30T00:00:00+11:00", "email", "promo")},
			rule:    "promo-week", retry: "2026-04-06T00:00:00+10:00",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			name, at := tc.zone, tc.now
			if name == "" {
				name = "America/New_York"
			}
			if at == "" {
				at = now
			}
			loc, nowT := zone(t, name), ts(t, at)
			d := CheckCaps(tc.rules, tc.history, tc.c, nowT, loc)
			require.Equal(t, tc.rule == "", d.Allowed)
			require.Equal(t, tc.rule, d.RuleID)
			want := nowT
			if tc.retry != "" {
				want = ts(t, tc.retry)
			}
			requireInstant(t, want, d.RetryAt)
			require.Same(t, loc, d.RetryAt.Location())
		})
	}
}

// TestCheckCapsProperties checks CheckCaps on random rules and histories
// against a plain count over WindowStart: the verdict matches at now, and
// RetryAt is the first instant at which the count allows the send.
func TestCheckCapsProperties(t *testing.T) {
	t.Parallel()
	channels, tags := []string{"email", "sms", "push"}, []string{"promo", "news"}
	units := []string{UnitMinute, UnitHour, UnitDay, UnitWeek}
	base := ts(t, "2026-01-01T00:00:00Z")
	for _, name := range testZones {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			loc := zone(t, name)
			r := rand.New(rand.NewPCG(11, uint64(len(name))))
			pick := func(xs []string) string {
				if r.IntN(3) == 0 {
					return ""
				}
				return xs[r.IntN(len(xs))]
			}
			for range 400 {
				var rules []CapRule
				for i := range 1 + r.IntN(3) {
					rules = append(rules, CapRule{
						ID: string(rune('a' + i)), Channel: pick(channels), Tag: pick(tags),
						Limit: 1 + r.IntN(3), Per: 1 + r.IntN(3), Unit: units[r.IntN(len(units))],
					})
				}
				now := base.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
				var history []Sent
				for range r.IntN(12) {
					s := Sent{
						At:            now.Add(-time.Duration(r.Int64N(int64(10 * 24 * time.Hour)))),
						Channel:       channels[r.IntN(len(channels))],
						Transactional: r.IntN(8) == 0,
					}
					if r.IntN(2) == 0 {
						s.Tags = []string{tags[r.IntN(len(tags))]}
					}
					history = append(history, s)
				}
				c := Candidate{Channel: channels[r.IntN(len(channels))]}
				if r.IntN(2) == 0 {
					c.Tags = []string{tags[r.IntN(len(tags))]}
				}
				d := CheckCaps(rules, history, c, now, loc)
				require.Equal(t, countAllows(rules, history, c, now, loc), d.Allowed)
				if d.Allowed {
					requireInstant(t, now, d.RetryAt)
					continue
				}
				require.True(t, d.RetryAt.After(now))
				require.True(t, countAllows(rules, history, c, d.RetryAt, loc), "allowed at RetryAt")
				require.False(t, countAllows(rules, history, c, d.RetryAt.Add(-time.Nanosecond), loc), "not before")
				// Loading history from Lookback gives the same decision.
				from := Lookback(rules, now, loc)
				recent := slices.DeleteFunc(slices.Clone(history), func(s Sent) bool { return s.At.Before(from) })
				require.Equal(t, d, CheckCaps(rules, recent, c, now, loc))
			}
		})
	}
}

// countAllows is the oracle: for each applicable rule, count the matching
// non-transactional sends in the window at 'at'.
func countAllows(rules []CapRule, history []Sent, c Candidate, at time.Time, loc *time.Location) bool {
	match := func(r CapRule, channel string, tags []string) bool {
		return (r.Channel == "" || r.Channel == channel) && (r.Tag == "" || slices.Contains(tags, r.Tag))
	}
	for _, r := range rules {
		if !match(r, c.Channel, c.Tags) {
			continue
		}
		start := WindowStart(r, at, loc)
		n := 0
		for _, s := range history {
			if s.Transactional || !match(r, s.Channel, s.Tags) {
				continue
			}
			rolling := r.Unit == UnitMinute || r.Unit == UnitHour
			if s.At.After(start) || !rolling && s.At.Equal(start) {
				n++
			}
		}
		if n >= r.Limit {
			return false
		}
	}
	return true
}

func BenchmarkCheckCaps(b *testing.B) {
	loc := zone(b, "America/New_York")
	now := ts(b, "2026-06-10T12:00:00-04:00")
	rules := []CapRule{
		{ID: "email-day", Channel: "email", Limit: 2, Per: 1, Unit: UnitDay},
		{ID: "any-hour", Limit: 30, Per: 6, Unit: UnitHour},
		{ID: "promo-week", Tag: "promo", Limit: 20, Per: 1, Unit: UnitWeek},
	}
	channels := []string{"email", "sms", "push"}
	history := make([]Sent, 50)
	for i := range history {
		history[i] = Sent{At: now.Add(-time.Duration(i) * 97 * time.Minute), Channel: channels[i%3]}
		if i%2 == 0 {
			history[i].Tags = []string{"promo"}
		}
	}
	c := Candidate{Channel: "email", Tags: []string{"promo"}}
	b.ReportAllocs()
	for b.Loop() {
		if d := CheckCaps(rules, history, c, now, loc); d.Allowed {
			b.Fatal("expected a cap")
		}
	}
}
