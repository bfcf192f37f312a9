package demo

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testEnd is the End of every test data set.
var testEnd = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// sampleConfig is the data set shared by the stream tests (generated once).
var sampleConfig = Config{Customers: 700, Seed: 42, End: testEnd}

var sample struct {
	once      sync.Once
	data      []byte
	stats     Stats
	clamped   int64
	err       error
	parseOnce sync.Once
	lines     []line
}

// sampleLines returns the shared data set decoded (read-only).
func sampleLines(t testing.TB) []line {
	t.Helper()
	data, _ := sampleData(t)
	sample.parseOnce.Do(func() { sample.lines = parseAll(t, data) })
	require.NotEmpty(t, sample.lines)
	return sample.lines
}

// sampleData returns the shared data set and its stats.
func sampleData(t testing.TB) ([]byte, Stats) {
	t.Helper()
	sample.once.Do(func() {
		var buf bytes.Buffer
		cfg, err := sampleConfig.normalized()
		if err != nil {
			sample.err = err
			return
		}
		g := newGenerator(cfg, &buf)
		if sample.err = g.run(t.Context()); sample.err == nil {
			sample.err = g.out.Flush()
		}
		sample.stats, sample.clamped, sample.data = g.stats(), g.clamped, buf.Bytes()
	})
	require.NoError(t, sample.err)
	return sample.data, sample.stats
}

// generate runs Generate into memory.
func generate(t testing.TB, cfg Config) ([]byte, Stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := Generate(t.Context(), cfg, &buf)
	require.NoError(t, err)
	return buf.Bytes(), st
}
