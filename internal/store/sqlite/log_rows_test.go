package sqlite

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// TestEventRowVersions: a log holds rows of three layouts, all in columns
// (before log migration 0003), meta version 1 with the message id and body
// in columns, and meta version 2 (written now) holding both. Reads, the
// dedupe index rebuilt from the rows, erasure by needle (matched in the
// body only, never in version 2's other fields) and pruning treat them
// alike.
func TestEventRowVersions(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "log.db")
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l, err := OpenLog(ctx, path, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	require.NoError(t, l.Close())

	p, err := openPool(ctx, path, poolConfig{synchronous: syncFull, pageSize: logPageSize})
	require.NoError(t, err)
	recv := micro(t0)
	_, err = p.w.ExecContext(ctx, `INSERT INTO events (seq, source_id, channel, message_id, type, user_id, anonymous_id,
		previous_id, group_id, name, timestamp, received_at, raw) VALUES (1, 'web', 'web', 'm-cols', 'track', 'u', '', '', '', 'E', ?, ?, ?)`,
		recv, recv, []byte(`{"note":"alpha"}`))
	require.NoError(t, err)
	v1 := appendEventMetaV1(nil, &event.Event{Channel: "web", Type: event.Track, UserID: "u", Name: "E"})
	_, err = p.w.ExecContext(ctx, `INSERT INTO events (seq, source_id, channel, message_id, type, user_id, anonymous_id,
		previous_id, group_id, name, timestamp, received_at, raw, meta) VALUES (2, 'web', '', 'm-v1', '', '', '', '', '', '', ?, ?, ?, ?)`,
		recv, recv, []byte(`{"note":"beta"}`), v1)
	require.NoError(t, err)
	_, err = p.w.ExecContext(ctx, `UPDATE log_counters SET received = 2, stored = 2, head = 2`)
	require.NoError(t, err)
	require.NoError(t, p.close())

	ev := func(msg, name, body string) *event.Event {
		return &event.Event{SourceID: "web", Channel: "web", MessageID: msg, Type: event.Track, UserID: "u", Name: name,
			Timestamp: t0, ReceivedAt: t0, Raw: []byte(body)}
	}
	l, err = OpenLog(ctx, path, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	_, err = l.Append(ctx, store.AppendBatch{Events: []*event.Event{ev("m-v2", "E", `{"note":"alpha"}`), ev("m-v2-named", "beta", `{"note":"gamma"}`)}})
	require.NoError(t, err)
	var cols string
	require.NoError(t, l.db.w.QueryRowContext(ctx, "SELECT message_id || raw FROM events WHERE seq = 3").Scan(&cols))
	require.Empty(t, cols, "a version 2 row keeps its message id and body in meta")

	got, err := l.Read(ctx, 0, 10)
	require.NoError(t, err)
	require.Len(t, got, 4)
	for i, want := range []struct{ msg, name, body string }{
		{"m-cols", "E", `{"note":"alpha"}`}, {"m-v1", "E", `{"note":"beta"}`},
		{"m-v2", "E", `{"note":"alpha"}`}, {"m-v2-named", "beta", `{"note":"gamma"}`},
	} {
		e := got[i]
		require.Equal(t, []string{"web", "web", want.msg, "track", "u", want.name, want.body},
			[]string{e.SourceID, e.Channel, e.MessageID, string(e.Type), e.UserID, e.Name, string(e.Raw)}, "seq %d", e.Seq)
	}

	// The index rebuilt from the rows (no snapshot) knows every key.
	require.NoError(t, l.Close())
	require.NoError(t, os.Remove(path+"-dedupe"))
	l, err = OpenLog(ctx, path, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer func() { require.NoError(t, l.Close()) }()
	again := func(msgs ...string) []bool {
		t.Helper()
		var evs []*event.Event
		for _, m := range msgs {
			evs = append(evs, ev(m, "E", `{}`))
		}
		dup, err := l.Append(ctx, store.AppendBatch{Events: evs, DedupeSince: t0.Add(-time.Hour)})
		require.NoError(t, err)
		return dup
	}
	require.Equal(t, []bool{true, true, true, true}, again("m-cols", "m-v1", "m-v2", "m-v2-named"))

	// "beta" is the body of the version 1 row and only the name of the
	// last version 2 row, which stays.
	n, err := l.Erase(ctx, nil, []string{"alpha", "beta"})
	require.NoError(t, err)
	require.Equal(t, 3, n)
	left, err := l.Get(ctx, []int64{1, 2, 3, 4})
	require.NoError(t, err)
	require.Len(t, left, 1)
	require.Equal(t, "m-v2-named", left[0].MessageID)
	// Erasure forgot the erased keys, found in each layout.
	require.Equal(t, []bool{false, false, false, true}, again("m-cols", "m-v1", "m-v2", "m-v2-named"))

	// Pruning reads keys the same way.
	_, err = l.PruneDedupe(ctx, t0.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, []bool{false}, again("m-v2-named"))
}
