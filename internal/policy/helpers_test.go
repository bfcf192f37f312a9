package policy

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // the same zone rules on every machine

	"github.com/stretchr/testify/require"
)

// zone loads an IANA zone or fails the test.
func zone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(tb, err)
	return loc
}

// ts parses an RFC 3339 instant, e.g. "2026-03-08T03:00:00-04:00".
func ts(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, s)
	require.NoError(tb, err)
	return t
}

// requireInstant fails unless got is the same instant as want, printing
// both in got's zone.
func requireInstant(tb testing.TB, want, got time.Time, msgAndArgs ...any) {
	tb.Helper()
	require.Truef(tb, want.Equal(got), "want %s, got %s %v", want.In(got.Location()).Format(time.RFC3339), got.Format(time.RFC3339), msgAndArgs)
}

// reading is t's local wall clock reading as a UTC value, for comparing
// wall readings across offsets.
func reading(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// testZones are the zones every local-time test runs in: both hemispheres'
// DST, a half-hour and a quarter-hour offset.
var testZones = []string{
	"America/New_York", "America/Los_Angeles", "Europe/Berlin", "Australia/Sydney",
	"Asia/Kolkata", "Pacific/Chatham", "America/Havana",
}

// nearTransition reports whether a zone transition happens within 3 hours
// of t: wall-clock oracles that ignore DST are only compared away from them.
func nearTransition(t time.Time, loc *time.Location) bool {
	_, a := t.Add(-3 * time.Hour).In(loc).Zone()
	_, b := t.Add(3 * time.Hour).In(loc).Zone()
	return a != b
}

func errorsIsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

func hexToB64(tb testing.TB, h string) string {
	tb.Helper()
	b, err := hex.DecodeString(h)
	require.NoError(tb, err)
	return base64.RawURLEncoding.EncodeToString(b)
}
