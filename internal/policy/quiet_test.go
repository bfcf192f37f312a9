package policy

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseHHMM(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in     string
		h, m   int
		wantOK bool
	}{
		{"00:00", 0, 0, true}, {"08:30", 8, 30, true}, {"23:59", 23, 59, true}, {"12:05", 12, 5, true},
		{"24:00", 0, 0, false}, {"23:60", 0, 0, false}, {"8:30", 0, 0, false}, {"08:3", 0, 0, false},
		{"0830", 0, 0, false}, {"08.30", 0, 0, false}, {" 08:30", 0, 0, false}, {"08:30 ", 0, 0, false},
		{"-1:00", 0, 0, false}, {"", 0, 0, false}, {"ab:cd", 0, 0, false}, {"08:30:00", 0, 0, false},
		{"٠٨:٣٠", 0, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			h, m, err := ParseHHMM(tc.in)
			if !tc.wantOK {
				require.ErrorIs(t, err, ErrInvalid)
				return
			}
			require.NoError(t, err)
			require.Equal(t, [2]int{tc.h, tc.m}, [2]int{h, m})
		})
	}
}

func FuzzParseHHMM(f *testing.F) {
	for _, s := range []string{"00:00", "23:59", "24:00", "9:00", "12:3x", "", "99:99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, m, err := ParseHHMM(s)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalid)
			return
		}
		require.True(t, h >= 0 && h <= 23 && m >= 0 && m <= 59, "%d:%d", h, m)
		require.Equal(t, s, time.Date(2026, 1, 1, h, m, 0, 0, time.UTC).Format("15:04"), "round trip")
	})
}

func TestQuietHoursValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		q    QuietHours
		ok   bool
	}{
		{"overnight", QuietHours{Start: "21:00", End: "08:00"}, true},
		{"same day", QuietHours{Start: "12:00", End: "14:00", OnQuiet: OnQuietSkip}, true},
		{"with days", QuietHours{Start: "21:00", End: "08:00", Days: []time.Weekday{time.Friday, time.Saturday}, OnQuiet: OnQuietDefer}, true},
		{"empty start", QuietHours{End: "08:00"}, false},
		{"bad end", QuietHours{Start: "21:00", End: "8am"}, false},
		{"equal", QuietHours{Start: "08:00", End: "08:00"}, false},
		{"bad weekday", QuietHours{Start: "21:00", End: "08:00", Days: []time.Weekday{7}}, false},
		{"negative weekday", QuietHours{Start: "21:00", End: "08:00", Days: []time.Weekday{-1}}, false},
		{"bad on_quiet", QuietHours{Start: "21:00", End: "08:00", OnQuiet: "drop"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.q.Validate()
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, ErrInvalid)
			}
		})
	}
}

func TestQuietHoursCheck(t *testing.T) {
	t.Parallel()
	night := QuietHours{Start: "21:00", End: "08:00"}
	lunch := QuietHours{Start: "12:00", End: "13:30"}
	weekend := QuietHours{Start: "21:00", End: "08:00", Days: []time.Weekday{time.Friday, time.Saturday}}
	cases := []struct {
		name   string
		q      QuietHours
		zone   string
		now    string
		quiet  bool
		resume string // "" = now
	}{
		{"ny evening", night, "America/New_York", "2026-06-10T22:15:00-04:00", true, "2026-06-11T08:00:00-04:00"},
		{"ny early morning", night, "America/New_York", "2026-06-11T03:00:00-04:00", true, "2026-06-11T08:00:00-04:00"},
		{"ny start is quiet", night, "America/New_York", "2026-06-10T21:00:00-04:00", true, "2026-06-11T08:00:00-04:00"},
		{"ny end is not quiet", night, "America/New_York", "2026-06-11T08:00:00-04:00", false, ""},
		{"ny daytime", night, "America/New_York", "2026-06-11T12:00:00-04:00", false, ""},
		{"ny spring forward night is an hour shorter", night, "America/New_York", "2026-03-07T23:00:00-05:00", true, "2026-03-08T08:00:00-04:00"},
		{"ny fall back night is an hour longer", night, "America/New_York", "2026-10-31T21:30:00-04:00", true, "2026-11-01T08:00:00-05:00"},
		{"la evening", night, "America/Los_Angeles", "2026-11-01T01:30:00-08:00", true, "2026-11-01T08:00:00-08:00"},
		{"berlin lunch", lunch, "Europe/Berlin", "2026-03-29T12:45:00+02:00", true, "2026-03-29T13:30:00+02:00"},
		{"berlin after lunch", lunch, "Europe/Berlin", "2026-03-29T13:30:00+02:00", false, ""},
		{"sydney april fall back", night, "Australia/Sydney", "2026-04-04T22:00:00+11:00", true, "2026-04-05T08:00:00+10:00"},
		{"sydney october spring forward", night, "Australia/Sydney", "2026-10-04T01:59:00+10:00", true, "2026-10-04T08:00:00+11:00"},
		{"kolkata", night, "Asia/Kolkata", "2026-06-10T20:59:00+05:30", false, ""},
		{"kolkata quiet", night, "Asia/Kolkata", "2026-06-10T21:00:00+05:30", true, "2026-06-11T08:00:00+05:30"},
		{"chatham", night, "Pacific/Chatham", "2026-06-10T07:59:00+12:45", true, "2026-06-10T08:00:00+12:45"},
		{"weekend friday night", weekend, "Europe/Berlin", "2026-06-12T23:00:00+02:00", true, "2026-06-13T08:00:00+02:00"},
		{"weekend saturday morning from friday", weekend, "Europe/Berlin", "2026-06-13T07:00:00+02:00", true, "2026-06-13T08:00:00+02:00"},
		{"weekend sunday morning from saturday", weekend, "Europe/Berlin", "2026-06-14T07:00:00+02:00", true, "2026-06-14T08:00:00+02:00"},
		{"weekend sunday night not quiet", weekend, "Europe/Berlin", "2026-06-14T23:00:00+02:00", false, ""},
		{"weekend friday morning not quiet", weekend, "Europe/Berlin", "2026-06-12T07:00:00+02:00", false, ""},
		{"invalid never quiet", QuietHours{Start: "25:00", End: "08:00"}, "UTC", "2026-06-12T23:00:00Z", false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			loc := zone(t, tc.zone)
			now := ts(t, tc.now)
			quiet, resume := tc.q.Check(now, loc)
			require.Equal(t, tc.quiet, quiet)
			want := now
			if tc.resume != "" {
				want = ts(t, tc.resume)
			}
			requireInstant(t, want, resume)
			require.Same(t, loc, resume.Location())
		})
	}
}

// TestQuietHoursInCustomerZone is the Laudspeaker bug: the same instant is
// quiet for a customer in Sydney and not for one in New York, whatever the
// workspace's zone.
func TestQuietHoursInCustomerZone(t *testing.T) {
	t.Parallel()
	q := QuietHours{Start: "21:00", End: "08:00"}
	now := ts(t, "2026-06-10T14:00:00Z") // 10:00 in New York, 00:00 in Sydney
	cases := []struct {
		zone  string
		quiet bool
	}{{"America/New_York", false}, {"Australia/Sydney", true}, {"Asia/Kolkata", false}, {"Pacific/Chatham", true}}
	for _, tc := range cases {
		t.Run(tc.zone, func(t *testing.T) {
			t.Parallel()
			quiet, _ := q.Check(now, zone(t, tc.zone))
			require.Equal(t, tc.quiet, quiet)
		})
	}
}

// TestQuietHoursDSTEdges pins the behavior of quiet periods whose edges fall
// in a DST gap or overlap.
func TestQuietHoursDSTEdges(t *testing.T) {
	t.Parallel()
	ny := zone(t, "America/New_York")
	cases := []struct {
		name   string
		q      QuietHours
		now    string
		quiet  bool
		resume string
	}{
		// 01:00–02:30 on the spring-forward day ends at the transition.
		{"end in gap", QuietHours{Start: "01:00", End: "02:30"}, "2026-03-08T01:59:00-05:00", true, "2026-03-08T03:00:00-04:00"},
		{"end in gap, after", QuietHours{Start: "01:00", End: "02:30"}, "2026-03-08T03:00:00-04:00", false, ""},
		// 02:10–02:50 does not exist on the spring-forward day.
		{"period inside gap is empty", QuietHours{Start: "02:10", End: "02:50"}, "2026-03-08T03:00:00-04:00", false, ""},
		// 01:00–01:30 on the fall-back day ends at the first 01:30.
		{"overlap first pass quiet", QuietHours{Start: "01:00", End: "01:30"}, "2026-11-01T01:15:00-04:00", true, "2026-11-01T01:30:00-04:00"},
		{"overlap second pass not quiet", QuietHours{Start: "01:00", End: "01:30"}, "2026-11-01T01:15:00-05:00", false, ""},
		// 01:45–06:00 starts at the first 01:45 and lasts through the repeat.
		{"start in overlap", QuietHours{Start: "01:45", End: "06:00"}, "2026-11-01T01:10:00-05:00", true, "2026-11-01T06:00:00-05:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			now := ts(t, tc.now)
			quiet, resume := tc.q.Check(now, ny)
			require.Equal(t, tc.quiet, quiet)
			want := now
			if tc.resume != "" {
				want = ts(t, tc.resume)
			}
			requireInstant(t, want, resume)
		})
	}
}

// TestQuietHoursAgainstWallClock compares Check with a plain reading of the
// wall clock at random instants away from DST transitions, and checks that
// resumeAt is the first minute out of quiet hours.
func TestQuietHoursAgainstWallClock(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 7))
	var qs []QuietHours
	for range 40 {
		q := QuietHours{Start: hhmm(r.IntN(1440)), End: hhmm(r.IntN(1440))}
		for d := range 7 {
			if r.IntN(3) == 0 {
				q.Days = append(q.Days, time.Weekday(d))
			}
		}
		if q.Start != q.End {
			qs = append(qs, q)
		}
	}
	base := ts(t, "2026-01-01T00:00:00Z")
	for _, name := range testZones {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			loc := zone(t, name)
			r := rand.New(rand.NewPCG(8, uint64(len(name))))
			for _, q := range qs {
				for range 25 {
					now := base.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Minute)
					quiet, resume := q.Check(now, loc)
					if nearTransition(now, loc) || nearTransition(resume, loc) {
						continue
					}
					require.Equal(t, wallQuiet(q, now, loc), quiet, "%+v at %s", q, now.In(loc))
					if !quiet {
						requireInstant(t, now, resume)
						continue
					}
					require.True(t, resume.After(now))
					require.False(t, wallQuiet(q, resume, loc), "resume is outside")
					require.True(t, wallQuiet(q, resume.Add(-time.Minute), loc), "the minute before resume is quiet")
				}
			}
		})
	}
}

func hhmm(minute int) string {
	return time.Date(2026, 1, 1, minute/60, minute%60, 0, 0, time.UTC).Format("15:04")
}

// wallQuiet is the oracle: read the local clock and weekday, no instants.
func wallQuiet(q QuietHours, t time.Time, loc *time.Location) bool {
	return wallOracle(q)(t, loc)
}

// wallOracle parses q once and returns its wall-clock membership test.
func wallOracle(q QuietHours) func(time.Time, *time.Location) bool {
	sh, sm, _ := ParseHHMM(q.Start)
	eh, em, _ := ParseHHMM(q.End)
	start, end := sh*60+sm, eh*60+em
	var mask [7]bool
	for _, d := range q.Days {
		mask[d] = true
	}
	on := func(d time.Weekday) bool { return len(q.Days) == 0 || mask[d] }
	return func(t time.Time, loc *time.Location) bool {
		l := t.In(loc)
		tod := l.Hour()*60 + l.Minute()
		today, yesterday := l.Weekday(), (l.Weekday()+6)%7
		if start < end {
			return on(today) && tod >= start && tod < end
		}
		return (on(today) && tod >= start) || (on(yesterday) && tod < end)
	}
}
