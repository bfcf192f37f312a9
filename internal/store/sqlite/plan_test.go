package sqlite

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A backfill reads a page of profile ids at a time: its traits, memberships
// and timers must each stay one range of an index, in the order asked for
// without a sort, whatever the planner knows.
func TestRangeReadPlans(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	l, s, err := Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer l.Close()
	defer s.Close()
	for _, q := range []struct {
		sql, index string
		args       []any
	}{
		{traitsBetween, "PRIMARY KEY (profile_id>? AND profile_id<?)", []any{"a", "b"}},
		{traitsBetweenAt, "PRIMARY KEY (profile_id>? AND profile_id<?)", []any{"a", "b", `["plan"]`}},
		{membersBetween, "INDEX segment_members_profile (profile_id>? AND profile_id<?)", []any{"a", "b"}},
		{timersBetween, "INDEX timers_key (profile_id>? AND profile_id<?)", []any{"a", "b", "segment"}},
	} {
		plan := queryPlan(t, s, q.sql, q.args...)
		require.Contains(t, plan[0], q.index, strings.Join(plan, "; "))
		for _, p := range plan {
			require.NotContains(t, p, "TEMP B-TREE", "no sort: %s", strings.Join(plan, "; "))
		}
	}
}

// queryPlan is SQLite's plan for q, one detail per step.
func queryPlan(t *testing.T, s *State, q string, args ...any) []string {
	t.Helper()
	rows, err := s.db.r.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, args...)
	require.NoError(t, err)
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
		plan = append(plan, detail)
	}
	require.NoError(t, rows.Err())
	return plan
}
