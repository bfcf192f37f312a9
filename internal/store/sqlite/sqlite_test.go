package sqlite_test

import (
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
	"github.com/cairn-cdp/cairn/internal/store/storetest"
)

func openTest(t testing.TB) (*sqlite.Log, *sqlite.State) {
	dir := t.TempDir()
	l, s, err := sqlite.Open(t.Context(), dir, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() {
		require.NoError(t, l.Close())
		require.NoError(t, s.Close())
	})
	return l, s
}

func TestContract(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) (store.Log, store.State) { return openTest(t) })
}

func TestReopenKeepsData(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	logger := slog.New(slog.DiscardHandler)
	l, err := sqlite.OpenLog(ctx, filepath.Join(dir, "log.db"), logger)
	require.NoError(t, err)
	_, err = l.Append(ctx, store.AppendBatch{Events: benchEvents("web", 0, 3)})
	require.NoError(t, err)
	require.NoError(t, l.Close())

	l, err = sqlite.OpenLog(ctx, filepath.Join(dir, "log.db"), logger)
	require.NoError(t, err)
	defer l.Close()
	evs := benchEvents("web", 3, 1)
	_, err = l.Append(ctx, store.AppendBatch{Events: evs})
	require.NoError(t, err)
	require.Equal(t, int64(4), evs[0].Seq, "the head survives a reopen")
	st, err := l.Stats(ctx)
	require.NoError(t, err)
	require.Equal(t, store.LogStats{Received: 4, Stored: 4, Head: 4}, st)
}

func TestOpenRefusesEmptyPath(t *testing.T) {
	t.Parallel()
	_, err := sqlite.OpenLog(t.Context(), "", slog.New(slog.DiscardHandler))
	require.Error(t, err)
}
