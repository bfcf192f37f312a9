package event

import (
	"math"
	"time"
)

// maxTime is the last instant RFC 3339 can write (year 9999).
var maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)

// ParseTimestamp reads an RFC 3339 timestamp with 0 to 9 fractional digits:
// YYYY-MM-DDTHH:MM:SS[.fffffffff](Z|±HH:MM), 'T' and 'Z' in either case.
// It returns the instant in UTC and false when s is anything else or the
// instant falls outside years 0001–9999.
func ParseTimestamp(s []byte) (time.Time, bool) {
	// Shortest: 2006-01-02T15:04:05Z (20 bytes).
	if len(s) < 20 || len(s) > 35 {
		return time.Time{}, false
	}
	year, ok1 := num(s, 0, 4)
	month, ok2 := num(s, 5, 2)
	day, ok3 := num(s, 8, 2)
	hour, ok4 := num(s, 11, 2)
	minute, ok5 := num(s, 14, 2)
	sec, ok6 := num(s, 17, 2)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 ||
		s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}, false
	}
	i := 19
	nsec := 0
	if s[i] == '.' {
		i++
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if n == 9 {
				return time.Time{}, false
			}
			nsec = nsec*10 + int(s[i]-'0')
			n++
			i++
		}
		if n == 0 {
			return time.Time{}, false
		}
		for ; n < 9; n++ {
			nsec *= 10
		}
	}
	if i >= len(s) {
		return time.Time{}, false
	}
	offset := 0
	switch s[i] {
	case 'Z', 'z':
		i++
	case '+', '-':
		if len(s)-i != 6 || s[i+3] != ':' {
			return time.Time{}, false
		}
		oh, okh := num(s, i+1, 2)
		om, okm := num(s, i+4, 2)
		if !okh || !okm || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		offset = (oh*60 + om) * 60
		if s[i] == '-' {
			offset = -offset
		}
		i += 6
	default:
		return time.Time{}, false
	}
	if i != len(s) {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC).
		Add(-time.Duration(offset) * time.Second)
	if t.Year() < 1 || t.After(maxTime) || t.IsZero() {
		return time.Time{}, false
	}
	return t, true
}

func num(s []byte, at, n int) (int, bool) {
	v := 0
	for _, c := range s[at : at+n] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// CorrectTimestamp applies the wire contract's rule (§5): the client's clock
// skew, sentAt − originalTimestamp, is measured against the server's clock.
//
//	timestamp = (sentAt && originalTimestamp) ? receivedAt − (sentAt − originalTimestamp)
//	                                          : (originalTimestamp ?? receivedAt)
func CorrectTimestamp(receivedAt, sentAt, original time.Time) time.Time {
	switch {
	case !sentAt.IsZero() && !original.IsZero():
		d := sentAt.Sub(original) // saturates at ±292 years
		if d == math.MinInt64 {
			d++
		}
		return receivedAt.Add(-d)
	case !original.IsZero():
		return original
	default:
		return receivedAt
	}
}
