package sqlite

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A backfill reads traits a page of profile ids at a time; the read must
// stay a range of the primary key, whatever the planner knows.
func TestTraitsBetweenPlan(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	l, s, err := Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer l.Close()
	defer s.Close()
	for _, q := range []struct {
		sql  string
		args []any
	}{{traitsBetween, []any{"a", "b"}}, {traitsBetweenAt, []any{"a", "b", `["plan"]`}}} {
		rows, err := s.db.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.sql, q.args...)
		require.NoError(t, err)
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
			plan = append(plan, detail)
		}
		require.NoError(t, rows.Err())
		require.NoError(t, rows.Close())
		require.Contains(t, plan[0], "PRIMARY KEY (profile_id>? AND profile_id<?)", strings.Join(plan, "; "))
		for _, p := range plan {
			require.NotContains(t, p, "TEMP B-TREE", "no sort: %s", strings.Join(plan, "; "))
		}
	}
}
