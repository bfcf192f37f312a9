package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

// GetInstance returns one journey instance.
func (s *State) GetInstance(ctx context.Context, id string) (store.JourneyInstance, error) {
	in, err := scanInstance(s.db.pool.QueryRow(ctx, "SELECT "+instanceInsertColumns+" FROM journey_instances WHERE id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return in, fmt.Errorf("get journey instance %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return in, fmt.Errorf("get journey instance %s: %w", id, err)
	}
	return in, nil
}

// ProfileInstances lists a profile's instances, newest entry first.
func (s *State) ProfileInstances(ctx context.Context, profileID string) ([]store.JourneyInstance, error) {
	out, err := s.queryInstances(ctx, "SELECT "+instanceInsertColumns+` FROM journey_instances
		WHERE profile_id = $1 ORDER BY entered_at DESC, id`, profileID)
	if err != nil {
		return nil, fmt.Errorf("list journey instances of profile %s: %w", profileID, err)
	}
	return out, nil
}

// ProfilesInstances lists the instances of several profiles, by profile
// id, then newest entry first.
func (s *State) ProfilesInstances(ctx context.Context, profileIDs ...string) ([]store.JourneyInstance, error) {
	if len(profileIDs) == 0 {
		return nil, nil
	}
	out, err := s.queryInstances(ctx, "SELECT "+instanceInsertColumns+` FROM journey_instances
		WHERE profile_id = ANY($1) ORDER BY profile_id, entered_at DESC, id`, profileIDs)
	if err != nil {
		return nil, fmt.Errorf("list journey instances of %d profiles: %w", len(profileIDs), err)
	}
	return out, nil
}

// ListInstances lists a journey's instances ordered by id after q.After,
// in q.Status and at q.Node when they are set.
func (s *State) ListInstances(ctx context.Context, q store.InstanceQuery) ([]store.JourneyInstance, error) {
	if err := checkLimit(q.Limit); err != nil {
		return nil, fmt.Errorf("list instances of journey %s: %w", q.JourneyID, err)
	}
	var b strings.Builder
	b.WriteString("SELECT " + instanceInsertColumns + " FROM journey_instances WHERE journey_id = $1")
	args := []any{q.JourneyID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.Status != "" {
		b.WriteString(" AND status = " + arg(q.Status))
	}
	if q.Node != "" {
		b.WriteString(" AND node = " + arg(q.Node))
	}
	b.WriteString(" AND id > " + arg(q.After))
	b.WriteString(" ORDER BY id LIMIT " + arg(q.Limit))
	out, err := s.queryInstances(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("list instances of journey %s: %w", q.JourneyID, err)
	}
	return out, nil
}

func (s *State) queryInstances(ctx context.Context, q string, args ...any) ([]store.JourneyInstance, error) {
	rows, err := s.db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.JourneyInstance
	for rows.Next() {
		in, err := scanInstance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

func scanInstance(r pgx.Row) (store.JourneyInstance, error) {
	var (
		in    store.JourneyInstance
		state *string
	)
	if err := r.Scan(&in.ID, &in.JourneyID, &in.Version, &in.ProfileID, &in.Key, &in.Node, &in.Status,
		&in.EnteredAt, &in.UpdatedAt, &in.ExitedAt, &in.ExitReason, &state); err != nil {
		return store.JourneyInstance{}, err
	}
	in.EnteredAt, in.UpdatedAt = in.EnteredAt.UTC(), in.UpdatedAt.UTC()
	if in.ExitedAt != nil {
		t := in.ExitedAt.UTC()
		in.ExitedAt = &t
	}
	if state != nil {
		in.State = rawJSON(*state)
	}
	return in, nil
}

// CountInstances counts a journey's instances, every version and status.
func (s *State) CountInstances(ctx context.Context, journeyID string) (int64, error) {
	var n int64
	if err := s.db.pool.QueryRow(ctx, "SELECT count(*) FROM journey_instances WHERE journey_id = $1", journeyID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count instances of journey %s: %w", journeyID, err)
	}
	return n, nil
}

// JourneyNodeCounts counts a journey's active instances per version and
// node, ordered by version then node.
func (s *State) JourneyNodeCounts(ctx context.Context, journeyID string) ([]store.JourneyNodeCount, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT version, node, count(*) FROM journey_instances
		WHERE journey_id = $1 AND status = $2 GROUP BY version, node ORDER BY version, node`, journeyID, store.InstanceActive)
	if err != nil {
		return nil, fmt.Errorf("count active instances of journey %s: %w", journeyID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.JourneyNodeCount, error) {
		var c store.JourneyNodeCount
		err := r.Scan(&c.Version, &c.Node, &c.Active)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("count active instances of journey %s: %w", journeyID, err)
	}
	return nilIfNone(out), nil
}

// JourneyExitCounts counts a journey's exited instances per exit reason,
// ordered by reason.
func (s *State) JourneyExitCounts(ctx context.Context, journeyID string) ([]store.JourneyExitCount, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT exit_reason, count(*) FROM journey_instances
		WHERE journey_id = $1 AND status = $2 GROUP BY exit_reason ORDER BY exit_reason`, journeyID, store.InstanceExited)
	if err != nil {
		return nil, fmt.Errorf("count exits of journey %s: %w", journeyID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.JourneyExitCount, error) {
		var c store.JourneyExitCount
		err := r.Scan(&c.Reason, &c.Count)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("count exits of journey %s: %w", journeyID, err)
	}
	return nilIfNone(out), nil
}

// nilIfNone returns nil for an empty list, as the SQLite backend does.
func nilIfNone[T any](v []T) []T {
	if len(v) == 0 {
		return nil
	}
	return v
}
