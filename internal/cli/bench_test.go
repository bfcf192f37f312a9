package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
)

func TestPercentiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		in            []int64
		p50, p99, max int64
	}{
		{"empty", nil, 0, 0, 0},
		{"one", []int64{7}, 7, 7, 7},
		{"unsorted", []int64{5, 1, 4, 2, 3}, 3, 5, 5},
		{"hundred", func() []int64 {
			xs := make([]int64, 100)
			for i := range xs {
				xs[i] = int64(100 - i) // 100..1
			}
			return xs
		}(), 51, 100, 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p50, p99, maxv := percentiles(tc.in)
			require.Equal(t, []int64{tc.p50, tc.p99, tc.max}, []int64{p50, p99, maxv})
		})
	}
}

func TestBenchUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no mode", []string{"bench"}, "usage: cairn bench"},
		{"unknown mode", []string{"bench", "fly"}, `unknown mode "fly"`},
		{"ingest without key", []string{"bench", "ingest"}, "--write-key is required"},
		{"e2e without key", []string{"bench", "e2e"}, "--write-key is required"},
		{"profiles without refs", []string{"bench", "profiles"}, "exactly one of --refs FILE or --sample N"},
		{"profiles with both", []string{"bench", "profiles", "--refs", "x", "--sample", "3"}, "exactly one of"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, errs := run(t, tc.args...)
			require.Equal(t, 2, code)
			require.Contains(t, errs, tc.want)
		})
	}
}

// TestBenchModes runs every load mode, small, against a real server.
func TestBenchModes(t *testing.T) {
	t.Parallel()
	url, dir := startApp(t)
	code, key, errs := run(t, "sources", "create", "--url", url, "--data", dir, "--name", "bench", "--channel", "server")
	require.Equal(t, 0, code, errs)
	key = strings.TrimSpace(key)

	code, out, errs := run(t, "bench", "ingest", "--url", url, "--write-key", key, "--events", "500",
		"--batch", "50", "--concurrency", "2", "--users", "40", "--prefix", "t1", "--json")
	require.Equal(t, 0, code, errs)
	var ing struct {
		Events   int     `json:"events"`
		Requests int     `json:"requests"`
		Errors   int     `json:"errors"`
		Rate     float64 `json:"events_per_second"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &ing))
	require.Equal(t, 500, ing.Events)
	require.Equal(t, 10, ing.Requests)
	require.Zero(t, ing.Errors)
	require.Positive(t, ing.Rate)

	code, out, errs = run(t, "bench", "e2e", "--url", url, "--data", dir, "--write-key", key, "--rate", "2000",
		"--duration", "500ms", "--batch", "20", "--concurrency", "2", "--users", "40", "--prefix", "t2",
		"--poll", "20ms", "--drain", "20s", "--json")
	require.Equal(t, 0, code, errs)
	var e2e E2EResult
	require.NoError(t, json.Unmarshal([]byte(out), &e2e))
	require.Equal(t, 1000, e2e.Offered)
	require.Equal(t, 1000, e2e.Sent)
	require.GreaterOrEqual(t, e2e.Drained, time.Duration(0), "the processor drains 1000 events within 20s")
	require.GreaterOrEqual(t, e2e.Processed, int64(1000))
	require.Positive(t, e2e.Samples)

	// The ingest events are for users bench-u0..bench-u39; read some back.
	refs := filepath.Join(t.TempDir(), "refs.txt")
	require.NoError(t, os.WriteFile(refs, []byte("# users\nuser_id:bench-u1\n\nuser_id:bench-u2\n"), 0o600))
	code, out, errs = run(t, "bench", "profiles", "--url", url, "--data", dir, "--refs", refs, "--requests", "20", "--json")
	require.Equal(t, 0, code, errs)
	var pr ProfilesResult
	require.NoError(t, json.Unmarshal([]byte(out), &pr))
	require.Equal(t, 2, pr.Refs)
	require.Equal(t, 20, pr.Reads)
	require.Zero(t, pr.Errors)
	require.Positive(t, pr.ReadP99)
	require.GreaterOrEqual(t, pr.ReadP99, pr.ReadP50)

	code, out, errs = run(t, "bench", "profiles", "--url", url, "--data", dir, "--sample", "5", "--requests", "10", "--json")
	require.Equal(t, 0, code, errs)
	require.NoError(t, json.Unmarshal([]byte(out), &pr))
	require.Equal(t, 5, pr.Refs)
	require.Zero(t, pr.Errors)

	missing := filepath.Join(t.TempDir(), "missing.txt")
	require.NoError(t, os.WriteFile(missing, []byte("user_id:nobody\n"), 0o600))
	code, _, _ = run(t, "bench", "profiles", "--url", url, "--data", dir, "--refs", missing, "--requests", "3")
	require.Equal(t, 1, code, "reads of an unknown profile are errors")
}

func TestAckTimelineLag(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var a ackTimeline
	a.add(50, t0)                    // events 1..50
	a.add(50, t0.Add(time.Second))   // 51..100
	a.add(20, t0.Add(3*time.Second)) // 101..120
	now := t0.Add(5 * time.Second)
	tests := []struct {
		processed int64
		want      time.Duration
	}{
		{0, 5 * time.Second},  // event 1 acknowledged at t0
		{49, 5 * time.Second}, // event 50 still in the first request
		{50, 4 * time.Second}, // event 51 acknowledged at t0+1s
		{119, 2 * time.Second},
		{120, 0}, // all processed
		{500, 0},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, a.lag(tc.processed, now), "processed %d", tc.processed)
	}
}

// TestBenchMessageIDs: the load tool's ids are version 4 UUIDs, as SDKs
// send, the same for the same prefix and index, and distinct otherwise.
func TestBenchMessageIDs(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for _, prefix := range []string{"a", "b"} {
		for i := range 1000 {
			id := benchMessageID(prefix, i)
			require.Regexp(t, uuid, id)
			require.Equal(t, id, benchMessageID(prefix, i))
			require.False(t, seen[id], "%s repeats", id)
			seen[id] = true
		}
	}
}

// TestBenchBody: a load request is a JSON batch of n events, a tenth of
// them identify calls, each with its run's message id, as the server's
// parser accepts them.
func TestBenchBody(t *testing.T) {
	var buf bytes.Buffer
	o := benchOptions{Prefix: "p", Users: 7}
	for _, first := range []int{0, 50} { // the buffer is reused
		benchBody(&buf, o, first, 50)
		var body struct {
			Batch []struct {
				Type, UserID, MessageID string
			}
			SentAt time.Time
		}
		require.NoError(t, json.Unmarshal(buf.Bytes(), &body), "%s", buf.Bytes())
		require.Len(t, body.Batch, 50)
		require.False(t, body.SentAt.IsZero())
		for j, e := range body.Batch {
			i := first + j
			require.Equal(t, benchMessageID("p", i), e.MessageID)
			require.Equal(t, fmt.Sprintf("bench-u%d", i%7), e.UserID)
			want := "track"
			if i%10 == 0 {
				want = "identify"
			}
			require.Equal(t, want, e.Type)
		}
		parsed, err := event.Parse(buf.Bytes(), event.ParseOptions{ReceivedAt: time.Now()})
		require.NoError(t, err)
		require.Len(t, parsed.Events, 50)
		require.Empty(t, parsed.Rejects)
	}
}
