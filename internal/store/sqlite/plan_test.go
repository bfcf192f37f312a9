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
		plan := queryPlan(t, s, q.sql, q.args...)
		require.Contains(t, plan[0], "PRIMARY KEY (profile_id>? AND profile_id<?)", strings.Join(plan, "; "))
		for _, p := range plan {
			require.NotContains(t, p, "TEMP B-TREE", "no sort: %s", strings.Join(plan, "; "))
		}
	}
}

// A backfill page's memberships and timers are a range of the profile
// index each, in the order asked for, without a sort.
func TestBetweenPlans(t *testing.T) {
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
