package directmail

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Config is one direct-mail channel: where batches go and how long a send
// window is. Zero values take the defaults.
type Config struct {
	// Dir receives the batch files. Required; created if missing.
	Dir string `json:"dir"`
	// Window is the length of a send window: a divisor of a day (1h, 6h)
	// or a whole number of days. Default one day. JSON: "24h", "1d", "7d".
	Window Duration `json:"window,omitempty"`
	// StartHour is the UTC hour (0–23) windows are aligned to. Default 0.
	StartHour int `json:"start_hour,omitempty"`
	// Prefix starts every batch file name. Default "cairn-directmail".
	Prefix string `json:"prefix,omitempty"`
	// Fields are Message.Data keys written as extra columns after
	// offer_code, in this order (for example "creative", "segment").
	Fields []string `json:"fields,omitempty"`
}

// Defaults of Config.
const (
	DefaultWindow = 24 * time.Hour
	DefaultPrefix = "cairn-directmail"
)

const day = 24 * time.Hour

// baseColumns are the columns every batch starts with.
var baseColumns = []string{"key", "profile_id", "name", "address_line1", "address_line2",
	"city", "state", "postal_code", "country", "body", "offer_code"}

// Validate reports settings that make no sense.
func (c Config) Validate() error {
	if strings.TrimSpace(c.Dir) == "" {
		return errors.New("directmail config: dir is required")
	}
	w := time.Duration(c.Window)
	switch {
	case w < 0:
		return fmt.Errorf("directmail config: window %s is negative", w)
	case w == 0:
	case w < time.Minute:
		return fmt.Errorf("directmail config: window %s is shorter than a minute", w)
	case w < day && day%w != 0:
		return fmt.Errorf("directmail config: window %s does not divide a day: use e.g. 1h, 6h, 12h or 24h", w)
	case w > day && w%day != 0:
		return fmt.Errorf("directmail config: window %s is not a whole number of days", w)
	}
	if c.StartHour < 0 || c.StartHour > 23 {
		return fmt.Errorf("directmail config: start_hour %d is not an hour of the day (0-23)", c.StartHour)
	}
	if c.Prefix != "" && !validName(c.Prefix) {
		return fmt.Errorf("directmail config: prefix %q may only hold letters, digits, '-', '_' and '.', and cannot start with '.'", c.Prefix)
	}
	seen := map[string]bool{}
	for _, col := range baseColumns {
		seen[col] = true
	}
	for _, f := range c.Fields {
		if strings.TrimSpace(f) == "" {
			return errors.New("directmail config: a field name is empty")
		}
		if seen[f] {
			return fmt.Errorf("directmail config: field %q is already a column", f)
		}
		seen[f] = true
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Window == 0 {
		c.Window = Duration(DefaultWindow)
	}
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	return c
}

func validName(s string) bool {
	if s == "" || s[0] == '.' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// header is the batch header of c.
func (c Config) header() []string {
	return append(append([]string(nil), baseColumns...), c.Fields...)
}

// windowBase is the moment windows count from: Monday 1970-01-05 at
// StartHour UTC, so daily windows start at StartHour and weekly ones on
// Mondays.
func (c Config) windowBase() time.Time {
	return time.Date(1970, 1, 5, c.StartHour, 0, 0, 0, time.UTC)
}

// windowStart returns the start of the window holding t.
func (c Config) windowStart(t time.Time) time.Time {
	base := c.windowBase()
	w := time.Duration(c.Window)
	d := t.UTC().Sub(base)
	n := d / w
	if d < 0 && d%w != 0 {
		n--
	}
	return base.Add(n * w)
}

// Name layouts of window starts.
const (
	dateLayout = "2006-01-02"
	timeLayout = "2006-01-02T1504Z"
)

// stamp names the window starting at start.
func (c Config) stamp(start time.Time) string {
	if time.Duration(c.Window)%day == 0 && c.StartHour == 0 {
		return start.Format(dateLayout)
	}
	return start.Format(timeLayout)
}

// parseStamp reads a window start from a file name stamp.
func parseStamp(s string) (time.Time, bool) {
	for _, layout := range []string{timeLayout, dateLayout} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Duration is a time.Duration written in JSON as a Go duration string
// ("24h", "90m") or a number of days ("1d", "7d"); a bare number is read as
// seconds.
type Duration time.Duration

// MarshalJSON writes d as a duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a duration string, a number of days or seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var secs float64
		if err := json.Unmarshal(b, &secs); err != nil {
			return fmt.Errorf("duration %s: use a string such as \"24h\" or \"1d\"", b)
		}
		*d = Duration(secs * float64(time.Second))
		return nil
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseDuration reads "1d", "7d" or any time.ParseDuration form.
func ParseDuration(s string) (Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 366 {
			return 0, fmt.Errorf("duration %q: use a whole number of days such as \"1d\"", s)
		}
		return Duration(time.Duration(n) * day), nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: use a form such as \"24h\" or \"1d\": %w", s, err)
	}
	return Duration(v), nil
}
