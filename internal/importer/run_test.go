package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
)

// memSink records every batch it is sent.
type memSink struct {
	mu      sync.Mutex
	batches [][]json.RawMessage
	calls   int
	failAt  int                     // fail the call with this 1-based number
	onSend  func(call int)          // runs before each send is recorded
	check   func([]json.RawMessage) // runs on every batch
}

var errSink = errors.New("server said 503")

func (s *memSink) Send(_ context.Context, events []json.RawMessage) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.onSend != nil {
		s.onSend(s.calls)
	}
	if s.check != nil {
		s.check(events)
	}
	if s.calls == s.failAt {
		return errSink
	}
	cp := make([]json.RawMessage, len(events))
	for i, e := range events {
		cp[i] = bytes.Clone(e)
	}
	s.batches = append(s.batches, cp)
	return nil
}

func (s *memSink) events() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []json.RawMessage
	for _, b := range s.batches {
		all = append(all, b...)
	}
	return all
}

func csvRows(n int, bad map[int]string) string {
	var b strings.Builder
	b.WriteString("id,email,plan\n")
	for i := range n {
		if row, ok := bad[i]; ok {
			b.WriteString(row + "\n")
			continue
		}
		fmt.Fprintf(&b, "u%d,u%d@x.io,gold\n", i, i)
	}
	return b.String()
}

func newTestReader(tb testing.TB, in string) *Reader {
	tb.Helper()
	r, err := NewReader(strings.NewReader(in), Spec{SourceName: "crm", IDColumn: "id"})
	require.NoError(tb, err)
	return r
}

func TestRunBatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		rows     int
		opts     RunOptions
		batches  []int
		maxBytes int
	}{
		{"default size", 1234, RunOptions{}, []int{500, 500, 234}, 0},
		{"custom size", 10, RunOptions{BatchSize: 4}, []int{4, 4, 2}, 0},
		{"byte cap", 10, RunOptions{MaxBatchBytes: 400}, nil, 400},
		{"empty file", 0, RunOptions{}, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sink := &memSink{}
			res, err := Run(t.Context(), newTestReader(t, csvRows(tc.rows, nil)), sink, tc.opts)
			require.NoError(t, err)
			require.Equal(t, int64(tc.rows), res.Rows)
			require.Equal(t, len(sink.batches), res.Batches)
			if tc.batches != nil {
				var sizes []int
				for _, b := range sink.batches {
					sizes = append(sizes, len(b))
				}
				require.Equal(t, tc.batches, sizes)
			}
			if tc.maxBytes > 0 {
				require.Greater(t, len(sink.batches), 1)
				for _, b := range sink.batches {
					n := 0
					for _, e := range b {
						n += len(e)
					}
					require.LessOrEqual(t, n, tc.maxBytes)
				}
			}
			for i, e := range sink.events() { // file order, every row once
				var ev struct{ UserID string }
				require.NoError(t, json.Unmarshal(e, &ev))
				require.Equal(t, fmt.Sprintf("u%d", i), ev.UserID)
			}
			if tc.rows > 0 {
				require.Equal(t, tc.rows+1, res.Lines)
			}
		})
	}
}

func TestRunRejects(t *testing.T) {
	t.Parallel()
	in := csvRows(6, map[int]string{1: "u1,\"a,b\",gold,extra", 4: ",nobody@x.io,gold"})
	var rejects bytes.Buffer
	var seen []string
	sink := &memSink{}
	res, err := Run(t.Context(), newTestReader(t, in), sink, RunOptions{
		Rejects:  &rejects,
		OnReject: func(re *RowError) { seen = append(seen, re.Error()) },
	})
	require.NoError(t, err)
	require.Equal(t, int64(4), res.Rows)
	require.Equal(t, int64(2), res.Rejected)
	require.Equal(t, []string{
		"line 3: column count 4, header has 3 — check quoting and the delimiter",
		`line 6, column "id": missing id: the id column is empty — every row needs an identifier`,
	}, seen)
	records, err := csv.NewReader(&rejects).ReadAll()
	require.NoError(t, err)
	require.Equal(t, [][]string{
		{"line", "column", "reason", "row"},
		{"3", "", "column count 4, header has 3 — check quoting and the delimiter", `u1,"a,b",gold,extra`},
		{"6", "id", "missing id: the id column is empty — every row needs an identifier", ",nobody@x.io,gold"},
	}, records)

	// No rejects: nothing is written, not even the header.
	rejects.Reset()
	_, err = Run(t.Context(), newTestReader(t, csvRows(3, nil)), &memSink{}, RunOptions{Rejects: &rejects})
	require.NoError(t, err)
	require.Zero(t, rejects.Len())
}

func TestRunProgress(t *testing.T) {
	t.Parallel()
	clk := clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	in := csvRows(12000, nil) // ~330 KB: several reads of the input
	sink := &memSink{onSend: func(int) { clk.Advance(time.Second) }}
	var got []Progress
	res, err := Run(t.Context(), newTestReader(t, in), sink, RunOptions{
		BatchSize: 400, TotalBytes: int64(len(in)), Clock: clk,
		Progress: func(p Progress) { got = append(got, p) },
	})
	require.NoError(t, err)
	require.Len(t, got, 31, "one per batch and a final one")
	last := got[len(got)-1]
	require.True(t, last.Done)
	require.Equal(t, int64(12000), last.Rows)
	require.Equal(t, 30*time.Second, last.Elapsed)
	require.InDelta(t, 400.0, last.RowsPerSec, 0.001)
	require.Equal(t, int64(len(in)), last.BytesRead)
	require.Equal(t, res.Elapsed, last.Elapsed)
	sawETA := false
	for i, p := range got[:len(got)-1] {
		require.False(t, p.Done)
		require.Equal(t, int64(len(in)), p.BytesTotal)
		require.LessOrEqual(t, p.BytesRead, int64(len(in)))
		if i > 0 {
			require.GreaterOrEqual(t, p.Rows, got[i-1].Rows)
			require.GreaterOrEqual(t, p.Line, got[i-1].Line)
		}
		if p.ETA > 0 {
			sawETA = true
			require.Less(t, p.BytesRead, p.BytesTotal)
		}
	}
	require.True(t, sawETA, "an ETA while bytes remain")
}

func TestRunStops(t *testing.T) {
	t.Parallel()
	t.Run("sink error", func(t *testing.T) {
		t.Parallel()
		sink := &memSink{failAt: 2}
		res, err := Run(t.Context(), newTestReader(t, csvRows(2000, nil)), sink, RunOptions{})
		require.ErrorIs(t, err, errSink)
		require.ErrorContains(t, err, "send rows of lines 502-1001")
		require.Equal(t, int64(500), res.Rows)
	})
	t.Run("sink error with concurrency", func(t *testing.T) {
		t.Parallel()
		sink := &memSink{failAt: 3}
		res, err := Run(t.Context(), newTestReader(t, csvRows(5000, nil)), sink, RunOptions{BatchSize: 100, Concurrency: 4})
		require.ErrorIs(t, err, errSink)
		require.Equal(t, int64(len(sink.events())), res.Rows)
	})
	t.Run("cancelled", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		sink := &memSink{onSend: func(int) { cancel() }}
		res, err := Run(ctx, newTestReader(t, csvRows(5000, nil)), sink, RunOptions{})
		require.ErrorIs(t, err, context.Canceled)
		require.Less(t, res.Rows, int64(5000))
	})
	t.Run("corrupt input after some rows", func(t *testing.T) {
		t.Parallel()
		z := gz(t, []byte(csvRows(20000, nil)))
		r, err := NewReader(bytes.NewReader(z[:len(z)*3/4]), Spec{SourceName: "s", IDColumn: "id"})
		require.NoError(t, err)
		sink := &memSink{}
		res, err := Run(t.Context(), r, sink, RunOptions{})
		require.ErrorIs(t, err, ErrCorruptInput)
		require.Positive(t, res.Rows)
		require.Equal(t, int64(len(sink.events())), res.Rows)
	})
	t.Run("sink panics", func(t *testing.T) {
		t.Parallel()
		sink := &memSink{onSend: func(int) { panic("boom") }}
		_, err := Run(t.Context(), newTestReader(t, csvRows(10, nil)), sink, RunOptions{})
		require.ErrorContains(t, err, "send rows of lines 2-11: panic: boom")
	})
	t.Run("rejects writer fails", func(t *testing.T) {
		t.Parallel()
		in := csvRows(10, map[int]string{3: "bad"})
		_, err := Run(t.Context(), newTestReader(t, in), &memSink{}, RunOptions{Rejects: failWriter{}})
		require.ErrorContains(t, err, "write rejects file")
	})
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRunConcurrency(t *testing.T) {
	t.Parallel()
	sink := &memSink{check: func(evs []json.RawMessage) {
		for _, e := range evs {
			if !json.Valid(e) {
				panic("invalid event handed to the sink")
			}
		}
	}}
	res, err := Run(t.Context(), newTestReader(t, csvRows(3000, nil)), sink, RunOptions{BatchSize: 97, Concurrency: 4})
	require.NoError(t, err)
	require.Equal(t, int64(3000), res.Rows)
	seen := map[string]bool{}
	for _, e := range sink.events() {
		id := messageID(t, e)
		require.False(t, seen[id], "duplicate %s", id)
		seen[id] = true
	}
	require.Len(t, seen, 3000)
}
