package demo

import (
	"fmt"
	"time"
)

// DefaultCustomers and DefaultDays are the sizes used when a Config leaves them zero.
const (
	DefaultCustomers = 10000
	DefaultDays      = 730
)

// Config chooses the data set. Identical Configs produce identical bytes.
type Config struct {
	Customers int       // number of people simulated; 0 means DefaultCustomers
	Seed      uint64    // PCG seed for every random draw
	End       time.Time // the last instant of the data (required)
	Days      int       // history length; 0 means DefaultDays
}

// normalized fills defaults and checks the config.
func (c Config) normalized() (Config, error) {
	if c.Customers == 0 {
		c.Customers = DefaultCustomers
	}
	if c.Days == 0 {
		c.Days = DefaultDays
	}
	switch {
	case c.Customers < 0 || c.Customers > maxCustomers:
		return c, fmt.Errorf("%w: customers %d out of range; use 1..%d", ErrInvalidConfig, c.Customers, maxCustomers)
	case c.Days < minDays || c.Days > maxDays:
		return c, fmt.Errorf("%w: days %d out of range; use %d..%d", ErrInvalidConfig, c.Days, minDays, maxDays)
	case c.End.IsZero():
		return c, fmt.Errorf("%w: end time is required (the last instant of the data)", ErrInvalidConfig)
	case c.End.Year() < 1980 || c.End.Year() > 9000:
		return c, fmt.Errorf("%w: end %s out of range; use a date between 1980 and 9000", ErrInvalidConfig, c.End.Format(time.RFC3339))
	}
	c.End = c.End.UTC().Truncate(time.Millisecond)
	return c, nil
}

const (
	maxCustomers = 50_000_000
	minDays      = 60
	maxDays      = 3650 // the plan stores seconds since start in a uint32
)

// Start is the first instant of the data: End minus Days.
func (c Config) Start() time.Time {
	days := c.Days
	if days == 0 {
		days = DefaultDays
	}
	return c.End.UTC().Truncate(time.Millisecond).Add(-time.Duration(days) * 24 * time.Hour)
}

// Stats summarises a generated data set.
type Stats struct {
	Events    int64            // lines written
	Customers int              // people simulated
	Bytes     int64            // JSONL bytes written (before any compression)
	First     time.Time        // timestamp of the first event
	Last      time.Time        // timestamp of the last event
	ByEvent   map[string]int64 // track events by name; other calls by type ("identify", "page", …)
	BySource  map[string]int64 // events per source name
}
