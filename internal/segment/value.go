package segment

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ValueKind is the type of a literal.
type ValueKind uint8

// Literal kinds.
const (
	ValueString ValueKind = iota + 1
	ValueNumber
	ValueBool
	ValueList
	ValueTime
	ValueDuration
)

// Value is a literal of a Test. Which field is meaningful depends on Kind.
type Value struct {
	Kind ValueKind
	Str  string
	Num  float64
	Bool bool
	List []Value
	Time time.Time // UTC
	Dur  Duration

	re *regexp.Regexp // compiled pattern of a matches literal
}

// MarshalJSON writes the canonical form: times as RFC 3339 UTC strings,
// durations as their short form ("30d").
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.Kind {
	case ValueString:
		return json.Marshal(v.Str)
	case ValueNumber:
		return json.Marshal(v.Num)
	case ValueBool:
		return json.Marshal(v.Bool)
	case ValueList:
		return json.Marshal(v.List)
	case ValueTime:
		return json.Marshal(v.Time.UTC().Format(time.RFC3339Nano))
	case ValueDuration:
		return json.Marshal(v.Dur.String())
	}
	return nil, fmt.Errorf("marshal value of kind %d", v.Kind)
}

// Duration is a positive whole number of seconds. Its text form uses the
// largest exact unit of d, h, m, s ("30d", "12h", "90m"); "2w" is accepted
// on input and printed as "14d".
type Duration time.Duration

// Duration units of the short form, largest first.
var durationUnits = []struct {
	suffix string
	d      time.Duration
}{
	{"w", 7 * 24 * time.Hour},
	{"d", 24 * time.Hour},
	{"h", time.Hour},
	{"m", time.Minute},
	{"s", time.Second},
}

// maxDuration bounds every duration (about 100 years) so time arithmetic cannot overflow.
const maxDuration = 100 * 366 * 24 * time.Hour

// ParseDuration reads "30d", "12h", "90m", "2w", "45s" or a Go duration
// ("1h30m"). The result must be a positive whole number of seconds of at
// most 100 years.
func ParseDuration(s string) (Duration, error) {
	d, err := parseDurationRaw(s)
	if err != nil {
		return 0, err
	}
	switch {
	case d <= 0:
		return 0, fmt.Errorf("duration %q must be positive", s)
	case d%time.Second != 0:
		return 0, fmt.Errorf("duration %q must be a whole number of seconds", s)
	case d > maxDuration:
		return 0, fmt.Errorf("duration %q exceeds 100 years", s)
	}
	return Duration(d), nil
}

func parseDurationRaw(s string) (time.Duration, error) {
	if len(s) >= 2 && len(s) <= 12 {
		for _, u := range durationUnits[:2] { // w and d are ours; Go has h, m, s
			num, ok := strings.CutSuffix(s, u.suffix)
			if !ok {
				continue
			}
			n, err := strconv.ParseInt(num, 10, 64)
			if err != nil || num[0] == '+' {
				break
			}
			if n > int64(maxDuration/u.d) || n < -int64(maxDuration/u.d) {
				return 0, fmt.Errorf("duration %q exceeds 100 years", s)
			}
			return time.Duration(n) * u.d, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: use a number and a unit: 30d, 12h, 90m, 2w, 45s or 1h30m", s)
	}
	return d, nil
}

// String returns the short form.
func (d Duration) String() string {
	td := time.Duration(d)
	if td <= 0 {
		return time.Duration(d).String()
	}
	for _, u := range durationUnits[1:] { // printed in days at most: people think in 7d, 30d, 90d
		if td%u.d == 0 {
			return strconv.FormatInt(int64(td/u.d), 10) + u.suffix
		}
	}
	return td.String()
}

// MarshalJSON writes the short form as a JSON string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// formatNumber writes a number the way encoding/json does.
func formatNumber(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	b, _ := json.Marshal(f) //nolint:errcheck // finite floats always marshal
	return string(b)
}
