package importer

import (
	"bytes"
	"math"
	"time"
)

// Zoneless layouts are read as UTC.
var (
	layoutsZoned = []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00"}
	layoutsLocal = []string{"2006-01-02T15:04:05", "2006-01-02T15:04"}
)

// parseTimestamp reads an event time. With a layout it uses only that;
// otherwise it accepts RFC 3339 with or without a zone (and with a space
// instead of the T), YYYY-MM-DD, and unix seconds (with an optional
// fraction), milliseconds, microseconds or nanoseconds told apart by size.
func parseTimestamp(text []byte, layout string) (time.Time, bool) {
	text = bytes.TrimSpace(text)
	if layout != "" {
		t, err := time.Parse(layout, string(text))
		return t.UTC(), err == nil && inRange(t)
	}
	if len(text) == 0 {
		return time.Time{}, false
	}
	if t, ok := parseUnix(text); ok {
		return t, true
	}
	if len(text) == 10 && text[4] == '-' && text[7] == '-' {
		t, err := time.Parse(time.DateOnly, string(text))
		return t, err == nil && inRange(t)
	}
	if len(text) < 16 || text[4] != '-' {
		return time.Time{}, false
	}
	var buf [64]byte
	s := append(buf[:0], text...)
	if s[10] == ' ' || s[10] == 't' {
		s[10] = 'T'
	}
	if last := s[len(s)-1]; last == 'z' {
		s[len(s)-1] = 'Z'
	}
	str := string(s)
	layouts := layoutsLocal
	if hasZone(s) {
		layouts = layoutsZoned
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, str); err == nil && inRange(t) {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// hasZone reports whether an ISO date-time ends in Z or a ±hh[:mm] offset.
func hasZone(s []byte) bool {
	if s[len(s)-1] == 'Z' {
		return true
	}
	return bytes.LastIndexAny(s[11:], "+-") >= 0
}

func parseUnix(text []byte) (time.Time, bool) {
	intPart, frac := text, []byte(nil)
	if i := bytes.IndexByte(text, '.'); i >= 0 {
		intPart, frac = text[:i], text[i+1:]
	}
	// Fewer than 9 digits is before 1973 in seconds, and more often a
	// compact date (20240501) than a unix time: refuse rather than guess.
	if len(intPart) < 9 || len(intPart) > 19 {
		return time.Time{}, false
	}
	var n int64
	for _, c := range intPart {
		if c < '0' || c > '9' || n > (math.MaxInt64-int64(c-'0'))/10 {
			return time.Time{}, false
		}
		n = n*10 + int64(c-'0')
	}
	for _, c := range frac {
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
	}
	var t time.Time
	switch {
	case n < 1e11: // seconds, up to the year 5138
		var ns int64
		for i, scale := 0, int64(1e8); i < len(frac) && i < 9; i, scale = i+1, scale/10 {
			ns += int64(frac[i]-'0') * scale
		}
		t = time.Unix(n, ns)
	case len(frac) > 0:
		return time.Time{}, false
	case n < 1e14:
		t = time.UnixMilli(n)
	case n < 1e17:
		t = time.UnixMicro(n)
	default:
		t = time.Unix(0, n)
	}
	return t.UTC(), inRange(t)
}

// inRange keeps times RFC 3339 can write.
func inRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1 && y <= 9999
}
