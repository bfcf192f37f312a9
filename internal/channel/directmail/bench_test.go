package directmail

import (
	"log/slog"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
)

var discard = slog.New(slog.DiscardHandler)

// BenchmarkSend measures one durable row: encode, write, fsync.
func BenchmarkSend(b *testing.B) {
	cfg := Config{Dir: b.TempDir()}
	s, err := New(cfg, clock.NewManual(day1), discard)
	require.NoError(b, err)
	defer s.Close()
	msgs := make([]string, 0, 1024)
	for i := range cap(msgs) {
		msgs = append(msgs, "key-"+strconv.Itoa(i))
	}
	m := mail("")
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		m.Key = msgs[n%len(msgs)] + "-" + strconv.Itoa(n)
		n++
		if _, err := s.Send(b.Context(), m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSendDuplicate measures the idempotent path: a key already in
// the batch.
func BenchmarkSendDuplicate(b *testing.B) {
	s, err := New(Config{Dir: b.TempDir()}, clock.NewManual(day1), discard)
	require.NoError(b, err)
	defer s.Close()
	m := mail("k1")
	_, err = s.Send(b.Context(), m)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Send(b.Context(), m); err != nil {
			b.Fatal(err)
		}
	}
}
