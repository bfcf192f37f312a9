package policy

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestWallTime(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, zone string
		y          int
		m          time.Month
		d, hh, mm  int
		want       string
	}{
		{"ny ordinary", "America/New_York", 2026, time.July, 4, 9, 30, "2026-07-04T09:30:00-04:00"},
		{"ny gap resolves to transition", "America/New_York", 2026, time.March, 8, 2, 30, "2026-03-08T03:00:00-04:00"},
		{"ny gap start", "America/New_York", 2026, time.March, 8, 2, 0, "2026-03-08T03:00:00-04:00"},
		{"ny just before gap", "America/New_York", 2026, time.March, 8, 1, 59, "2026-03-08T01:59:00-05:00"},
		{"ny just after gap", "America/New_York", 2026, time.March, 8, 3, 0, "2026-03-08T03:00:00-04:00"},
		{"ny overlap first occurrence", "America/New_York", 2026, time.November, 1, 1, 30, "2026-11-01T01:30:00-04:00"},
		{"ny after overlap", "America/New_York", 2026, time.November, 1, 2, 0, "2026-11-01T02:00:00-05:00"},
		{"la gap", "America/Los_Angeles", 2026, time.March, 8, 2, 15, "2026-03-08T03:00:00-07:00"},
		{"la overlap", "America/Los_Angeles", 2026, time.November, 1, 1, 0, "2026-11-01T01:00:00-07:00"},
		{"berlin gap", "Europe/Berlin", 2026, time.March, 29, 2, 30, "2026-03-29T03:00:00+02:00"},
		{"berlin overlap", "Europe/Berlin", 2026, time.October, 25, 2, 30, "2026-10-25T02:30:00+02:00"},
		{"sydney overlap in april", "Australia/Sydney", 2026, time.April, 5, 2, 30, "2026-04-05T02:30:00+11:00"},
		{"sydney gap in october", "Australia/Sydney", 2026, time.October, 4, 2, 30, "2026-10-04T03:00:00+11:00"},
		{"kolkata half hour", "Asia/Kolkata", 2026, time.March, 8, 2, 30, "2026-03-08T02:30:00+05:30"},
		{"chatham gap", "Pacific/Chatham", 2026, time.September, 27, 3, 0, "2026-09-27T03:45:00+13:45"},
		{"chatham overlap", "Pacific/Chatham", 2026, time.April, 5, 3, 0, "2026-04-05T03:00:00+13:45"},
		{"chatham ordinary", "Pacific/Chatham", 2026, time.June, 1, 8, 0, "2026-06-01T08:00:00+12:45"},
		{"havana midnight gap", "America/Havana", 2026, time.March, 8, 0, 0, "2026-03-08T01:00:00-04:00"},
		{"havana midnight overlap", "America/Havana", 2026, time.November, 1, 0, 0, "2026-11-01T00:00:00-04:00"},
		{"apia skipped day", "Pacific/Apia", 2011, time.December, 30, 12, 0, "2011-12-31T00:00:00+14:00"},
		{"hour 24 is next midnight", "Europe/Berlin", 2026, time.December, 31, 24, 0, "2027-01-01T00:00:00+01:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			loc := zone(t, tc.zone)
			got := wallTime(loc, tc.y, tc.m, tc.d, tc.hh, tc.mm)
			requireInstant(t, ts(t, tc.want), got)
			require.Same(t, loc, got.Location())
		})
	}
}

// TestWallTimeIsFirstInstantReaching checks the rule against its definition:
// the result is the first instant (on the minute grid) whose wall reading is
// at or after the requested one, found by scanning.
func TestWallTimeIsFirstInstantReaching(t *testing.T) {
	t.Parallel()
	for _, name := range append(testZones, "Pacific/Apia", "Australia/Lord_Howe") {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			loc := zone(t, name)
			r := rand.New(rand.NewPCG(1, uint64(len(name))))
			// Every transition in 2026 (2011 for Apia) plus random days.
			year := 2026
			if name == "Pacific/Apia" {
				year = 2011
			}
			var days []time.Time
			for at := time.Date(year, 1, 1, 0, 0, 0, 0, loc); at.Year() == year; {
				_, end := at.ZoneBounds()
				if end.IsZero() || end.Year() != year {
					break
				}
				days = append(days, end)
				at = end
			}
			for range 20 {
				days = append(days, time.Date(year, time.Month(1+r.IntN(12)), 1+r.IntN(28), 12, 0, 0, 0, loc))
			}
			for _, day := range days {
				y, m, d := day.In(loc).Date()
				for _, hm := range [][2]int{{0, 0}, {0, 30}, {1, 0}, {1, 30}, {2, 0}, {2, 30}, {2, 45}, {3, 0}, {3, 30}, {23, 59}, {r.IntN(24), r.IntN(60)}} {
					want := firstReaching(loc, time.Date(y, m, d, hm[0], hm[1], 0, 0, time.UTC))
					got := wallTime(loc, y, m, d, hm[0], hm[1])
					requireInstant(t, want, got, y, m, d, hm)
				}
			}
		})
	}
}

func firstReaching(loc *time.Location, u time.Time) time.Time {
	for at := u.Add(-15 * time.Hour); ; at = at.Add(time.Minute) {
		if !reading(at, loc).Before(u) {
			return at
		}
	}
}

func TestCivil(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		c       civil
		add     int
		want    civil
		weekday time.Weekday
		monday  civil
	}{
		{"leap day", civil{2028, time.February, 28}, 1, civil{2028, time.February, 29}, time.Tuesday, civil{2028, time.February, 28}},
		{"year end", civil{2026, time.December, 31}, 1, civil{2027, time.January, 1}, time.Friday, civil{2027, time.January, 1}.addDays(-4)},
		{"back a month", civil{2026, time.March, 1}, -1, civil{2026, time.February, 28}, time.Saturday, civil{2026, time.February, 23}},
		{"sunday belongs to the week before", civil{2026, time.March, 9}, -1, civil{2026, time.March, 8}, time.Sunday, civil{2026, time.March, 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tc.c.addDays(tc.add)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.weekday, got.weekday())
			require.Equal(t, tc.monday, got.monday())
		})
	}
}
