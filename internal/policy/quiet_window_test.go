package policy

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

func TestWindowValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		w    Window
		ok   bool
	}{
		{"office hours", Window{Days: weekdays, From: "09:00", To: "17:00"}, true},
		{"overnight", Window{From: "22:00", To: "02:00"}, true},
		{"whole day on weekends", Window{Days: []time.Weekday{time.Saturday, time.Sunday}}, true},
		{"always", Window{}, true},
		{"only from", Window{From: "09:00"}, false},
		{"only to", Window{To: "17:00"}, false},
		{"equal", Window{From: "09:00", To: "09:00"}, false},
		{"bad from", Window{From: "9", To: "17:00"}, false},
		{"bad to", Window{From: "09:00", To: "24:00"}, false},
		{"bad day", Window{Days: []time.Weekday{9}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.w.Validate()
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, ErrInvalid)
			}
		})
	}
}

func TestWindowNext(t *testing.T) {
	t.Parallel()
	office := Window{Days: weekdays, From: "09:00", To: "17:00"}
	late := Window{Days: []time.Weekday{time.Friday}, From: "22:00", To: "02:00"}
	cases := []struct {
		name, zone string
		w          Window
		now, want  string // want "" = now
	}{
		{"inside", "America/New_York", office, "2026-06-10T10:00:00-04:00", ""},
		{"at opening", "America/New_York", office, "2026-06-10T09:00:00-04:00", ""},
		{"before opening", "America/New_York", office, "2026-06-10T07:00:00-04:00", "2026-06-10T09:00:00-04:00"},
		{"at closing waits for tomorrow", "America/New_York", office, "2026-06-10T17:00:00-04:00", "2026-06-11T09:00:00-04:00"},
		{"friday evening waits for monday", "America/New_York", office, "2026-06-12T18:00:00-04:00", "2026-06-15T09:00:00-04:00"},
		{"weekend", "Europe/Berlin", office, "2026-03-28T12:00:00+01:00", "2026-03-30T09:00:00+02:00"},
		{"sunday across spring forward", "Europe/Berlin", office, "2026-03-29T12:00:00+02:00", "2026-03-30T09:00:00+02:00"},
		{"overnight on friday", "Australia/Sydney", late, "2026-06-13T01:00:00+10:00", ""},
		{"overnight closed saturday night", "Australia/Sydney", late, "2026-06-13T23:00:00+10:00", "2026-06-19T22:00:00+10:00"},
		{"kolkata", "Asia/Kolkata", office, "2026-06-10T08:59:00+05:30", "2026-06-10T09:00:00+05:30"},
		{"chatham", "Pacific/Chatham", office, "2026-06-10T17:30:00+12:45", "2026-06-11T09:00:00+12:45"},
		{"whole day weekend", "America/Los_Angeles", Window{Days: []time.Weekday{time.Saturday, time.Sunday}}, "2026-06-12T12:00:00-07:00", "2026-06-13T00:00:00-07:00"},
		{"whole day inside", "America/Los_Angeles", Window{Days: []time.Weekday{time.Saturday, time.Sunday}}, "2026-06-14T23:59:00-07:00", ""},
		{"always", "America/Los_Angeles", Window{}, "2026-06-12T12:00:00-07:00", ""},
		{"invalid allows all", "America/Los_Angeles", Window{From: "x"}, "2026-06-12T12:00:00-07:00", ""},
		// 02:30 opening on the spring-forward day opens at the transition.
		{"opening in gap", "America/New_York", Window{From: "02:30", To: "05:00"}, "2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00"},
		// 02:10–02:50 is empty that day: wait for the next.
		{"window inside gap", "America/New_York", Window{From: "02:10", To: "02:50"}, "2026-03-08T01:00:00-05:00", "2026-03-09T02:10:00-04:00"},
		// Havana's clocks jump from 00:00 to 01:00: the day opens at 01:00.
		{"midnight gap", "America/Havana", Window{Days: []time.Weekday{time.Sunday}}, "2026-03-07T12:00:00-05:00", "2026-03-08T01:00:00-04:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			loc := zone(t, tc.zone)
			now := ts(t, tc.now)
			want := now
			if tc.want != "" {
				want = ts(t, tc.want)
			}
			got := tc.w.Next(now, loc)
			requireInstant(t, want, got)
			require.Same(t, loc, got.Location())
		})
	}
}

// TestWindowNextAgainstWallClock checks Next with a wall-clock oracle: the
// result is allowed, and (away from DST transitions) every minute between
// now and it is not.
func TestWindowNextAgainstWallClock(t *testing.T) {
	t.Parallel()
	base := ts(t, "2026-01-01T00:00:00Z")
	for _, name := range testZones {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			loc := zone(t, name)
			r := rand.New(rand.NewPCG(3, uint64(len(name))))
			for range 300 {
				w := Window{From: hhmm(r.IntN(1440)), To: hhmm(r.IntN(1440))}
				if w.From == w.To {
					continue
				}
				for d := range 7 {
					if r.IntN(2) == 0 {
						w.Days = append(w.Days, time.Weekday(d))
					}
				}
				now := base.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Minute)
				got := w.Next(now, loc)
				if nearTransition(now, loc) || nearTransition(got, loc) || got.Sub(now) > 8*24*time.Hour {
					continue
				}
				open := wallOracle(QuietHours{Start: w.From, End: w.To, Days: w.Days})
				require.True(t, open(got, loc), "%+v from %s: %s is allowed", w, now.In(loc), got)
				for at := now; at.Before(got); at = at.Add(time.Minute) {
					if open(at, loc) && !nearTransition(at, loc) {
						require.Failf(t, "window opened earlier", "%+v from %s: %s is open", w, now.In(loc), at.In(loc))
					}
				}
			}
		})
	}
}

func TestNextLocalTime(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, zone string
		now        string
		hh, mm     int
		days       []time.Weekday
		want       string // "" = zero time
	}{
		{"later today", "America/New_York", "2026-06-10T08:00:00-04:00", 9, 0, nil, "2026-06-10T09:00:00-04:00"},
		{"exactly now", "America/New_York", "2026-06-10T09:00:00-04:00", 9, 0, nil, "2026-06-10T09:00:00-04:00"},
		{"passed today", "America/New_York", "2026-06-10T09:00:01-04:00", 9, 0, nil, "2026-06-11T09:00:00-04:00"},
		{"next tuesday", "Europe/Berlin", "2026-03-25T10:00:00+01:00", 9, 30, []time.Weekday{time.Tuesday}, "2026-03-31T09:30:00+02:00"},
		{"same weekday later", "Europe/Berlin", "2026-03-31T08:00:00+02:00", 9, 30, []time.Weekday{time.Tuesday}, "2026-03-31T09:30:00+02:00"},
		{"same weekday passed", "Europe/Berlin", "2026-03-31T10:00:00+02:00", 9, 30, []time.Weekday{time.Tuesday}, "2026-04-07T09:30:00+02:00"},
		{"weekdays skip weekend", "America/Los_Angeles", "2026-06-12T18:00:00-07:00", 8, 0, weekdays, "2026-06-15T08:00:00-07:00"},
		{"nonexistent resolves to transition", "America/New_York", "2026-03-07T12:00:00-05:00", 2, 30, nil, "2026-03-08T03:00:00-04:00"},
		{"repeated is the first", "America/New_York", "2026-10-31T12:00:00-04:00", 1, 30, nil, "2026-11-01T01:30:00-04:00"},
		{"repeated once per date", "America/New_York", "2026-11-01T01:10:00-05:00", 1, 30, nil, "2026-11-02T01:30:00-05:00"},
		{"sydney spring forward", "Australia/Sydney", "2026-10-03T12:00:00+10:00", 2, 0, nil, "2026-10-04T03:00:00+11:00"},
		{"chatham", "Pacific/Chatham", "2026-09-26T12:00:00+12:45", 3, 0, []time.Weekday{time.Sunday}, "2026-09-27T03:45:00+13:45"},
		{"kolkata", "Asia/Kolkata", "2026-06-10T23:00:00+05:30", 0, 15, nil, "2026-06-11T00:15:00+05:30"},
		{"bad hour", "UTC", "2026-06-10T23:00:00Z", 24, 0, nil, ""},
		{"bad minute", "UTC", "2026-06-10T23:00:00Z", 1, -1, nil, ""},
		{"bad day", "UTC", "2026-06-10T23:00:00Z", 1, 0, []time.Weekday{7}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			loc := zone(t, tc.zone)
			got := NextLocalTime(ts(t, tc.now), loc, tc.hh, tc.mm, tc.days)
			if tc.want == "" {
				require.True(t, got.IsZero(), got)
				return
			}
			requireInstant(t, ts(t, tc.want), got)
		})
	}
}

// TestNextLocalTimeProperties: the result is at or after now, on an allowed
// day, reads hh:mm (away from transitions), and is the first such instant.
func TestNextLocalTimeProperties(t *testing.T) {
	t.Parallel()
	base := ts(t, "2026-01-01T00:00:00Z")
	for _, name := range testZones {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			loc := zone(t, name)
			r := rand.New(rand.NewPCG(5, uint64(len(name))))
			for range 500 {
				hh, mm := r.IntN(24), r.IntN(60)
				var days []time.Weekday
				for d := range 7 {
					if r.IntN(3) == 0 {
						days = append(days, time.Weekday(d))
					}
				}
				now := base.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
				got := NextLocalTime(now, loc, hh, mm, days)
				require.False(t, got.Before(now))
				require.Less(t, got.Sub(now), 8*24*time.Hour)
				l := got.In(loc)
				require.True(t, len(days) == 0 || slices.Contains(days, l.Weekday()))
				if nearTransition(got, loc) {
					continue
				}
				require.Equal(t, [2]int{hh, mm}, [2]int{l.Hour(), l.Minute()})
				require.Zero(t, l.Second())
				// No earlier day qualifies.
				for d := dateOf(now, loc); d != dateOf(got, loc); d = d.addDays(1) {
					if len(days) == 0 || slices.Contains(days, d.weekday()) {
						require.True(t, d.at(loc, hh*60+mm).Before(now), "%v was a candidate", d)
					}
				}
			}
		})
	}
}
