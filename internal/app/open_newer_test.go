package app

import (
	"database/sql"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/ncruces/go-sqlite3/driver" // registers "sqlite3" to touch the data folder directly
	"github.com/stretchr/testify/require"
)

// TestOpenReportsANewerDataFolder: a data folder written by a newer cairn
// (a log schema version this binary does not know) is refused with the
// store's message; Open used to panic closing the stores it never opened.
func TestOpenReportsANewerDataFolder(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir(), ClockMode: "real", DedupeWindow: 7 * 24 * time.Hour, MaxBodyBytes: 1 << 20, BatchSize: 500,
		AdminToken: "test-token", PublicURL: "https://cairn.test", RFMEvery: 24 * time.Hour}
	a, err := Open(t.Context(), cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	require.NoError(t, a.Close())

	db, err := sql.Open("sqlite3", "file:"+filepath.Join(cfg.DataDir, "log.db"))
	require.NoError(t, err)
	_, err = db.ExecContext(t.Context(), "INSERT INTO schema_migrations (version, name) VALUES (999, '0999_from_the_future.sql')")
	require.NoError(t, err)
	require.NoError(t, db.Close())

	_, err = Open(t.Context(), cfg, slog.New(slog.DiscardHandler))
	require.ErrorContains(t, err, "newer than this binary knows")
}
