package postgres_test

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/storetest"
)

// TestOutboxMigrationKeepsLeftEvents runs the outbox_batches migration over
// an old one-row-per-event outbox holding events a crash left: they become
// one outbox batch, in the order written, bodies byte for byte.
func TestOutboxMigrationKeepsLeftEvents(t *testing.T) {
	dsn := testDSN(t)
	ctx := t.Context()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "storetest_" + hex.EncodeToString(b)
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize())
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE") })
	_, err = conn.Exec(ctx, "SET search_path = "+pgx.Identifier{schema}.Sanitize())
	require.NoError(t, err)

	// The old table as 0011 made it, with two events in it, then 0012.
	old, err := os.ReadFile("migrations/0011_outbox.sql")
	require.NoError(t, err)
	_, err = conn.Exec(ctx, string(old))
	require.NoError(t, err)
	want := storetest.LegacyOutboxEvents()
	for _, e := range want {
		_, err := conn.Exec(ctx, `INSERT INTO outbox (source_id, message_id, channel, type, name, timestamp, received_at, raw)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.SourceID, e.MessageID, e.Channel, string(e.Type), e.Name, e.Timestamp, e.ReceivedAt, []byte(e.Raw))
		require.NoError(t, err)
	}
	up, err := os.ReadFile("migrations/0012_outbox_batches.sql")
	require.NoError(t, err)
	_, err = conn.Exec(ctx, string(up))
	require.NoError(t, err)

	rows, err := conn.Query(ctx, "SELECT events FROM outbox_batches ORDER BY id")
	require.NoError(t, err)
	batches, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	require.NoError(t, err)
	require.Len(t, batches, 1)
	got, err := store.DecodeOutbox(batches[0])
	require.NoError(t, err)
	require.Equal(t, want, got)
	var left bool
	require.NoError(t, conn.QueryRow(ctx, "SELECT to_regclass('outbox') IS NOT NULL").Scan(&left))
	require.False(t, left, "the old table is dropped")
}
