package sqlite

import (
	"encoding/binary"
	"hash/crc32"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// snapshotFixture writes the snapshot of a small index and returns its
// bytes and the state it was written with.
func snapshotFixture(t testing.TB) ([]byte, snapshotState, *dedupeIndex) {
	l := &Log{path: filepath.Join(t.TempDir(), "log.db"), logger: slog.New(slog.DiscardHandler),
		head: 9, dedupeFrom: 2, dedupeThrough: 5, dedupeBefore: -7, sorted: map[string]bool{"cairn": true}}
	x := newDedupeIndexSeeded(42)
	for i, msg := range []string{"a", "b", "c"} {
		k := dedupeKey{"web", msg}
		x.put(x.hash(k), k, int64(i+3), false)
	}
	x.overflow[dedupeKey{"app", "z"}] = 8
	l.dedupe = x
	require.NoError(t, l.writeSnapshot())
	b, err := os.ReadFile(l.snapshotPath())
	require.NoError(t, err)
	return b, l.snapshotState(), x
}

func TestSnapshotRoundTripAndMismatches(t *testing.T) {
	b, st, x := snapshotFixture(t)
	got, head, ok := decodeSnapshot(b, st)
	require.True(t, ok)
	require.Equal(t, int64(9), head)
	require.Equal(t, x.seed, got.seed)
	require.Equal(t, maps.Collect(x.seqs.all()), maps.Collect(got.seqs.all()))
	require.Equal(t, x.overflow, got.overflow)

	ahead := st
	ahead.head = 20
	_, head, ok = decodeSnapshot(b, ahead)
	require.True(t, ok, "a log that appended since the snapshot reads on from its head")
	require.Equal(t, int64(9), head)

	for name, change := range map[string]func(*snapshotState){
		"log behind the snapshot":   func(s *snapshotState) { s.head = 8 },
		"pruned since (from)":       func(s *snapshotState) { s.from = 3 },
		"pruned since (through)":    func(s *snapshotState) { s.through = 6 },
		"pruned since (before)":     func(s *snapshotState) { s.before = 0 },
		"other sorted sources":      func(s *snapshotState) { s.sorted = nil },
		"another sorted source too": func(s *snapshotState) { s.sorted = []string{"cairn", "x"} },
	} {
		t.Run(name, func(t *testing.T) {
			want := st
			want.sorted = append([]string(nil), st.sorted...)
			change(&want)
			_, _, ok := decodeSnapshot(b, want)
			require.False(t, ok)
		})
	}
	t.Run("any damaged byte", func(t *testing.T) {
		for i := range b {
			c := append([]byte(nil), b...)
			c[i] ^= 0x20
			_, _, ok := decodeSnapshot(c, st)
			require.False(t, ok, "byte %d", i)
		}
		_, _, ok := decodeSnapshot(b[:len(b)-1], st)
		require.False(t, ok, "truncated")
	})
}

// FuzzSnapshot: no body makes the decoder panic or size a map beyond what
// the input can hold. The fuzzer's input is the body; the test appends its
// checksum, so the parser behind the checksum gets exercised.
func FuzzSnapshot(f *testing.F) {
	b, st, _ := snapshotFixture(f)
	f.Add(b[:len(b)-4])
	f.Add([]byte(snapshotMagic))
	f.Fuzz(func(t *testing.T, body []byte) {
		in := binary.LittleEndian.AppendUint32(append([]byte(nil), body...), crc32.Checksum(body, crcTable))
		x, _, ok := decodeSnapshot(in, st)
		if !ok {
			return
		}
		require.NotNil(t, x.seqs)
		require.NotNil(t, x.overflow)
	})
}
