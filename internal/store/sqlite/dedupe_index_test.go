package sqlite

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// dedupeModel is the dedupe contract written plainly: one record per key,
// the newest stored event's seq and receipt time.
type dedupeModel struct {
	head    int64
	records map[dedupeKey]struct{ seq, recv int64 }
	stored  map[dedupeKey][]int64 // every stored event's seq, by key
}

func (m *dedupeModel) append(evs []*event.Event, since int64) []bool {
	dup := make([]bool, len(evs))
	seen := map[dedupeKey]bool{}
	for i, e := range evs {
		k := dedupeKey{e.SourceID, e.MessageID}
		if r, ok := m.records[k]; seen[k] || ok && r.recv >= since {
			dup[i] = true
			continue
		}
		seen[k] = true
		m.head++
		m.records[k] = struct{ seq, recv int64 }{m.head, micro(e.ReceivedAt)}
		m.stored[k] = append(m.stored[k], m.head)
	}
	return dup
}

func (m *dedupeModel) prune(before int64) (n int64) {
	for k, r := range m.records {
		if r.recv < before {
			delete(m.records, k)
			n++
		}
	}
	return n
}

// erase erases every event of one key, as erasing a person does (erasing
// only the newest of several events of a key would let the older one hold
// the key again once the log reopens).
func (m *dedupeModel) erase(k dedupeKey) []int64 {
	seqs := m.stored[k]
	delete(m.stored, k)
	delete(m.records, k)
	return seqs
}

// TestDedupeIndexMatchesModel runs random appends, prunes, erasures and
// reopens against the model, with the real hash and with hashes that make
// most keys collide (so the overflow and the read-back decide), with one
// source's keys in the dedupe table and without, and checks
// every duplicate flag, prune count and seq.
func TestDedupeIndexMatchesModel(t *testing.T) {
	hashes := map[string]func(dedupeKey) uint64{
		"maphash":        nil,
		"three buckets":  func(k dedupeKey) uint64 { return uint64(len(k.message) % 3) },
		"everything one": func(dedupeKey) uint64 { return 7 },
	}
	for name, hash := range hashes {
		for _, sorted := range []bool{false, true} {
			for seed := range uint64(3) {
				t.Run(fmt.Sprintf("%s/sorted_app=%t/seed=%d", name, sorted, seed), func(t *testing.T) {
					t.Parallel()
					runDedupeModel(t, hash, sorted, seed)
				})
			}
		}
	}
}

// runDedupeModel: with sorted, the "app" source's keys live in the dedupe
// table (SetSortedSources) and "web"'s in memory.
func runDedupeModel(t *testing.T, hash func(dedupeKey) uint64, sorted bool, seed uint64) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "log.db")
	open := func() *Log {
		l, err := OpenLog(ctx, path, slog.New(slog.DiscardHandler))
		require.NoError(t, err)
		l.dedupeHash = hash
		if sorted {
			l.SetSortedSources("app")
		}
		return l
	}
	l := open()
	defer func() { require.NoError(t, l.Close()) }()
	rng := rand.New(rand.NewPCG(seed, 99))
	m := &dedupeModel{records: map[dedupeKey]struct{ seq, recv int64 }{}, stored: map[dedupeKey][]int64{}}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := 0 // minutes; the server clock only moves forward, and a group
	// commit writes events up to half a minute out of receipt order
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	key := func() (string, string) {
		return []string{"web", "app"}[rng.IntN(2)], fmt.Sprintf("m%d", rng.IntN(40)) + string(make([]byte, rng.IntN(3)))
	}
	for step := range 300 {
		switch op := rng.IntN(10); {
		case op < 6:
			var evs []*event.Event
			for range 1 + rng.IntN(12) {
				now += rng.IntN(3)
				src, msg := key()
				recv := at(now).Add(-time.Duration(rng.IntN(30)) * time.Second)
				evs = append(evs, &event.Event{SourceID: src, Channel: "web", MessageID: msg, Type: event.Track,
					UserID: "u", Name: "E", Timestamp: recv, ReceivedAt: recv, Raw: []byte(`{}`)})
			}
			since := at(now - rng.IntN(120))
			if rng.IntN(4) == 0 {
				since = time.Time{}
			}
			want := m.append(evs, micro(since))
			got, err := l.Append(ctx, store.AppendBatch{Events: evs, DedupeSince: since})
			require.NoError(t, err)
			require.Equal(t, want, got, "step %d: duplicates", step)
			require.Equal(t, m.head, l.head, "step %d: head", step)
		case op < 7:
			before := at(now - rng.IntN(6))
			want := m.prune(micro(before))
			got, err := l.PruneDedupe(ctx, before)
			require.NoError(t, err)
			require.Equal(t, want, got, "step %d: pruned", step)
		case op < 8:
			src, msg := key()
			seqs := m.erase(dedupeKey{src, msg})
			n, err := l.Erase(ctx, seqs, nil)
			require.NoError(t, err)
			require.Equal(t, len(seqs), n, "step %d: erased", step)
		case op < 9:
			// Reopen: after a clean close (from its snapshot), as after a
			// crash (the last prune's snapshot, or none, and the events
			// appended since), or with the snapshot lost (a full rebuild).
			how := rng.IntN(3)
			l.noSnapshotOnClose = how == 0
			require.NoError(t, l.Close())
			if how == 1 {
				require.NoError(t, l.removeSnapshot())
			}
			l = open()
		}
	}
}

// TestDedupePruneSurvivesReopen: a prune forgets an event received before
// the cut-off even when it was written after one received later (a group
// commit's order), and it stays forgotten once the log reopens and rebuilds
// its index.
func TestDedupePruneSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "log.db")
	cut := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	ev := func(msg string, recv time.Time) *event.Event {
		return &event.Event{SourceID: "web", Channel: "web", MessageID: msg, Type: event.Track, UserID: "u",
			Name: "E", Timestamp: recv, ReceivedAt: recv, Raw: []byte(`{}`)}
	}
	l, err := OpenLog(ctx, path, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	_, err = l.Append(ctx, store.AppendBatch{Events: []*event.Event{
		ev("old", cut.Add(-time.Hour)), ev("kept", cut), ev("late", cut.Add(-10*time.Second)), ev("new", cut.Add(time.Hour)),
	}})
	require.NoError(t, err)
	n, err := l.PruneDedupe(ctx, cut)
	require.NoError(t, err)
	require.Equal(t, int64(2), n, "old and late were received before the cut-off")
	require.NoError(t, l.Close())

	l, err = OpenLog(ctx, path, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer func() { require.NoError(t, l.Close()) }()
	dup, err := l.Append(ctx, store.AppendBatch{Events: []*event.Event{
		ev("old", cut.Add(2*time.Hour)), ev("kept", cut.Add(2*time.Hour)), ev("late", cut.Add(2*time.Hour)), ev("new", cut.Add(2*time.Hour)),
	}})
	require.NoError(t, err)
	require.Equal(t, []bool{false, true, false, true}, dup)
}

// TestDedupeMigrationKeepsRecords upgrades a log whose dedupe table holds
// records: the keys it held are still duplicates, and the ones it had
// pruned stay forgotten; its rows still read as they were written.
func TestDedupeMigrationKeepsRecords(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "log.db")
	p, err := openPool(ctx, path, poolConfig{synchronous: syncFull, pageSize: logPageSize})
	require.NoError(t, err)
	ms, err := loadMigrations("log")
	require.NoError(t, err)
	_, err = p.w.ExecContext(ctx, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`)
	require.NoError(t, err)
	require.NoError(t, applyMigration(ctx, p.w, ms[0]))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, msg := range []string{"pruned", "held", "also-held"} {
		seq, recv := i+1, micro(t0.Add(time.Duration(i)*time.Hour))
		_, err := p.w.ExecContext(ctx, `INSERT INTO events (seq, source_id, channel, message_id, type, user_id, anonymous_id,
			previous_id, group_id, name, timestamp, received_at, raw) VALUES (?, 'web', 'web', ?, 'track', 'u', '', '', '', 'E', ?, ?, '{}')`,
			seq, msg, recv, recv)
		require.NoError(t, err)
		if msg != "pruned" {
			_, err = p.w.ExecContext(ctx, `INSERT INTO dedupe (source_id, message_id, seq, received_at) VALUES ('web', ?, ?, ?)`, msg, seq, recv)
			require.NoError(t, err)
		}
	}
	_, err = p.w.ExecContext(ctx, `UPDATE log_counters SET received = 3, stored = 3, head = 3`)
	require.NoError(t, err)
	require.NoError(t, p.close())

	l, err := OpenLog(ctx, path, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer func() { require.NoError(t, l.Close()) }()
	var evs []*event.Event
	for _, msg := range []string{"pruned", "held", "also-held"} {
		evs = append(evs, &event.Event{SourceID: "web", Channel: "web", MessageID: msg, Type: event.Track, UserID: "u",
			Name: "E", Timestamp: t0.Add(5 * time.Hour), ReceivedAt: t0.Add(5 * time.Hour), Raw: []byte(`{}`)})
	}
	dup, err := l.Append(ctx, store.AppendBatch{Events: evs})
	require.NoError(t, err)
	require.Equal(t, []bool{false, true, true}, dup)
	require.Equal(t, int64(4), evs[0].Seq)

	// Rows from before log migration 0003 read from their columns, rows
	// after it from meta: the same event either way.
	got, err := l.Read(ctx, 0, 10)
	require.NoError(t, err)
	require.Len(t, got, 4)
	for _, e := range got {
		require.Equal(t, []string{"web", "track", "u", "E"}, []string{e.Channel, string(e.Type), e.UserID, e.Name}, "seq %d", e.Seq)
	}
	var cols string
	var meta []byte
	require.NoError(t, l.db.w.QueryRowContext(ctx, "SELECT channel || type || user_id || name, meta FROM events WHERE seq = 4").Scan(&cols, &meta))
	require.Empty(t, cols, "a new row binds no identifier columns")
	require.NotEmpty(t, meta)
	require.NoError(t, l.db.w.QueryRowContext(ctx, "SELECT channel || type || user_id || name, meta FROM events WHERE seq = 2").Scan(&cols, &meta))
	require.Equal(t, "webtrackuE", cols)
	require.Nil(t, meta)
}

// TestSortedSourcesLoadNoIndex: appending only the sorted sources' events
// (all a rebuild appends) leaves the memory index unloaded; the first SDK
// event loads it.
func TestSortedSourcesLoadNoIndex(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	l, err := OpenLog(ctx, filepath.Join(t.TempDir(), "log.db"), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer func() { require.NoError(t, l.Close()) }()
	l.SetSortedSources("cairn")
	ev := func(src, msg string) *event.Event {
		return &event.Event{SourceID: src, Channel: "server", MessageID: msg, Type: event.Track, UserID: "u",
			Name: "E", Timestamp: time.Unix(1, 0), ReceivedAt: time.Unix(1, 0), Raw: []byte(`{}`)}
	}
	dup, err := l.Append(ctx, store.AppendBatch{Events: []*event.Event{ev("cairn", "a"), ev("cairn", "a")}})
	require.NoError(t, err)
	require.Equal(t, []bool{false, true}, dup)
	require.Nil(t, l.dedupe)
	require.Zero(t, l.DedupeKeys())
	dup, err = l.Append(ctx, store.AppendBatch{Events: []*event.Event{ev("web", "a"), ev("cairn", "a")}})
	require.NoError(t, err)
	require.Equal(t, []bool{false, true}, dup)
	require.NotNil(t, l.dedupe)
	require.Equal(t, 1, l.dedupe.len(), "only the SDK key is in memory")
	require.Equal(t, int64(1), l.DedupeKeys())
}
