package sqlite

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

func TestPragmas(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	l, s, err := Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer l.Close()
	defer s.Close()
	cases := []struct {
		name       string
		p          *pool
		sync       int // 2 = FULL, 1 = NORMAL (the log flushes its WAL itself: log_sync.go)
		queryOnlyR int
		pageSize   int
		checkpoint int // WAL auto-checkpoint, pages
	}{
		{"log", l.db, 1, 1, 16384, 1000},
		{"state", s.db, 1, 1, 4096, stateCheckpointPages},
	}
	for _, tc := range cases {
		var mode string
		var syncW, fk, secure, busy int
		require.NoError(t, tc.p.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
		require.Equal(t, "wal", mode, tc.name)
		require.NoError(t, tc.p.w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&syncW))
		require.Equal(t, tc.sync, syncW, tc.name)
		require.NoError(t, tc.p.w.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
		require.Equal(t, 1, fk, tc.name)
		require.NoError(t, tc.p.w.QueryRowContext(ctx, "PRAGMA secure_delete").Scan(&secure))
		require.Equal(t, 1, secure, tc.name)
		require.NoError(t, tc.p.w.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy))
		require.Equal(t, 5000, busy, tc.name)
		var ps int
		require.NoError(t, tc.p.w.QueryRowContext(ctx, "PRAGMA page_size").Scan(&ps))
		require.Equal(t, tc.pageSize, ps, tc.name)
		var ckpt int
		require.NoError(t, tc.p.w.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&ckpt))
		require.Equal(t, tc.checkpoint, ckpt, tc.name)
		var qo int
		require.NoError(t, tc.p.r.QueryRowContext(ctx, "PRAGMA query_only").Scan(&qo))
		require.Equal(t, tc.queryOnlyR, qo, tc.name)
		_, err := tc.p.r.ExecContext(ctx, "CREATE TABLE nope (x)")
		require.Error(t, err, "readers cannot write")
	}
}

// fileContains reports whether the database file or its WAL holds needle.
func fileContains(t *testing.T, path string, needle []byte) bool {
	t.Helper()
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		if bytes.Contains(b, needle) {
			return true
		}
	}
	return false
}

// TestEraseLeavesNoCopyOnDisk checks secure_delete and the WAL truncation:
// after an erase, the identifier is in neither the database file nor its WAL.
func TestEraseLeavesNoCopyOnDisk(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	l, s, err := Open(ctx, dir, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer l.Close()
	defer s.Close()
	const secret = "erase-me-7f3a9c@example.com"
	var evs []*event.Event
	for i := range 50 {
		e := &event.Event{SourceID: "web", MessageID: string(rune('a'+i%26)) + string(rune('a'+i/26)), Type: event.Track,
			Raw: []byte(`{"type":"track","properties":{"filler":"` + string(bytes.Repeat([]byte("x"), 300)) + `"}}`)}
		if i == 25 {
			e.UserID = secret
			e.Raw = []byte(`{"type":"identify","userId":"` + secret + `"}`)
		}
		evs = append(evs, e)
	}
	_, err = l.Append(ctx, store.AppendBatch{Events: evs})
	require.NoError(t, err)
	require.NoError(t, s.Apply(ctx, &store.ProcessBatch{Checkpoint: 50,
		Profiles:   []store.Profile{{ID: "p1"}, {ID: "p2"}},
		Identities: []store.Identity{{IdentityKey: store.IdentityKey{Type: "email", Value: secret}, ProfileID: "p1"}, {IdentityKey: store.IdentityKey{Type: "email", Value: "other@example.com"}, ProfileID: "p2"}},
		Traits:     []store.ProfileTrait{{ProfileID: "p1", Trait: store.Trait{Path: "email", Value: []byte(`"` + secret + `"`)}}},
	}))
	logPath, statePath := filepath.Join(dir, "log.db"), filepath.Join(dir, "state.db")
	require.True(t, fileContains(t, logPath, []byte(secret)), "the test must see the secret before erasing")
	require.True(t, fileContains(t, statePath, []byte(secret)))

	n, err := l.Erase(ctx, nil, []string{secret})
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.NoError(t, s.EraseProfile(ctx, []string{"p1"}))
	require.False(t, fileContains(t, logPath, []byte(secret)), "log.db or its WAL still holds the erased identifier")
	require.False(t, fileContains(t, statePath, []byte(secret)), "state.db or its WAL still holds the erased identifier")
}
