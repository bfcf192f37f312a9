package sqlite

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRawInsertNeedsTheTransaction: the driver-level insert refuses to run
// on a connection that is not inside Append's transaction.
func TestRawInsertNeedsTheTransaction(t *testing.T) {
	t.Parallel()
	l := syncTestLog(t)
	if l.fast == nil {
		t.Skip("this driver inserts through database/sql")
	}
	b := syncBatch("a", 2)
	err := l.fast.insert(b.Events, []int{0, 1}, 0)
	require.ErrorContains(t, err, "outside a transaction")
	got, err := l.Read(t.Context(), 0, 10)
	require.NoError(t, err)
	require.Empty(t, got)
}
