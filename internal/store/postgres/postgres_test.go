package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/postgres"
	"github.com/cairn-cdp/cairn/internal/store/storetest"
)

const defaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// testDSN returns the server to test against, skipping the test when it is
// unreachable unless CAIRN_REQUIRE_POSTGRES=1.
func testDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("CAIRN_TEST_POSTGRES_DSN")
	if dsn == "" {
		dsn = defaultDSN
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		if os.Getenv("CAIRN_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL at %s is required (CAIRN_REQUIRE_POSTGRES=1) but unreachable: %v", dsn, err)
		}
		t.Skipf("PostgreSQL at %s unreachable (%v); set CAIRN_TEST_POSTGRES_DSN to test against PostgreSQL", dsn, err)
	}
	_ = conn.Close(ctx)
	return dsn
}

// openTest opens a log and state store in a fresh schema, dropped at cleanup.
func openTest(t *testing.T, dsn string) (*postgres.Log, *postgres.State) {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "storetest_" + hex.EncodeToString(b)
	l, s, err := postgres.Open(t.Context(), dsn, schema, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() {
		require.NoError(t, l.Close())
		require.NoError(t, s.Close())
		ctx, cancel := context.WithTimeout(context.WithoutCancel(t.Context()), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		require.NoError(t, err)
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		require.NoError(t, err)
	})
	return l, s
}

func TestContract(t *testing.T) {
	t.Parallel()
	dsn := testDSN(t)
	storetest.Run(t, func(t *testing.T) (store.Log, store.State) { return openTest(t, dsn) })
}

func TestOpenRejectsBadSchema(t *testing.T) {
	t.Parallel()
	_, _, err := postgres.Open(t.Context(), defaultDSN, "Bad-Schema; DROP", slog.New(slog.DiscardHandler))
	require.ErrorContains(t, err, "schema")
}

func TestReopenKeepsData(t *testing.T) {
	t.Parallel()
	dsn := testDSN(t)
	l, s := openTest(t, dsn)
	ctx := t.Context()
	require.NoError(t, s.AddTombstone(ctx, "h1", time.Date(2025, 1, 2, 3, 4, 5, 6000, time.UTC)))
	var schema string
	require.NoError(t, s.Pool().QueryRow(ctx, "SELECT current_schema()").Scan(&schema))

	l2, s2, err := postgres.Open(ctx, dsn, schema, slog.New(slog.DiscardHandler))
	require.NoError(t, err, "opening a migrated schema again applies nothing and succeeds")
	defer l2.Close()
	defer s2.Close()
	all, err := s2.Tombstones(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"h1"}, all)
	_ = l
}
