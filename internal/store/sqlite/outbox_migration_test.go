package sqlite

import (
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store/storetest"
)

// TestOutboxMigrationKeepsLeftEvents upgrades a state store whose
// one-row-per-event outbox still holds events a crash left: they become
// one outbox batch, in the order written, bodies byte for byte.
func TestOutboxMigrationKeepsLeftEvents(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "state.db")
	p, err := openPool(ctx, path, poolConfig{synchronous: syncNormal, pageSize: statePageSize, checkpointPages: stateCheckpointPages})
	require.NoError(t, err)
	ms, err := loadMigrations("state")
	require.NoError(t, err)
	_, err = p.w.ExecContext(ctx, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`)
	require.NoError(t, err)
	for _, m := range ms {
		if strings.HasPrefix(m.name, "0012_") {
			break
		}
		require.NoError(t, applyMigration(ctx, p.w, m))
	}
	want := storetest.LegacyOutboxEvents()
	for _, e := range want {
		_, err := p.w.ExecContext(ctx, `INSERT INTO outbox (source_id, message_id, channel, type, name, timestamp, received_at, raw)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.SourceID, e.MessageID, e.Channel, string(e.Type), e.Name, micro(e.Timestamp), micro(e.ReceivedAt), []byte(e.Raw))
		require.NoError(t, err)
	}
	require.NoError(t, p.close())

	s, err := OpenState(ctx, path, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer s.Close()
	got, err := s.OutboxBatches(ctx, 10)
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, want, got[0].Events)

	// An empty old outbox moves over as nothing.
	s2, err := OpenState(ctx, filepath.Join(t.TempDir(), "state.db"), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer s2.Close()
	got, err = s2.OutboxBatches(ctx, 10)
	require.NoError(t, err)
	require.Empty(t, got)
}
