package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/cairn-cdp/cairn/internal/store"
)

// GetInstance returns one journey instance.
func (s *State) GetInstance(ctx context.Context, id string) (store.JourneyInstance, error) {
	in, err := scanInstance(s.db.r.cachedQueryRow(ctx, "SELECT "+instanceInsertColumns+" FROM journey_instances WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
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
		WHERE profile_id = ? ORDER BY entered_at DESC, id`, profileID)
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
		WHERE profile_id IN (SELECT value FROM json_each(?)) ORDER BY profile_id, entered_at DESC, id`, jsonIDs(profileIDs))
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
	b.WriteString("SELECT " + instanceInsertColumns + " FROM journey_instances WHERE journey_id = ?")
	args := []any{q.JourneyID}
	if q.Status != "" {
		b.WriteString(" AND status = ?")
		args = append(args, q.Status)
	}
	if q.Node != "" {
		b.WriteString(" AND node = ?")
		args = append(args, q.Node)
	}
	b.WriteString(" AND id > ? ORDER BY id LIMIT ?")
	out, err := s.queryInstances(ctx, b.String(), append(args, q.After, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("list instances of journey %s: %w", q.JourneyID, err)
	}
	return out, nil
}

func (s *State) queryInstances(ctx context.Context, q string, args ...any) ([]store.JourneyInstance, error) {
	rows, err := s.db.r.cachedQuery(ctx, q, args...)
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

func scanInstance(r scanner) (store.JourneyInstance, error) {
	var (
		in               store.JourneyInstance
		entered, updated int64
		exited           sql.NullInt64
		state            sql.NullString
	)
	if err := r.Scan(&in.ID, &in.JourneyID, &in.Version, &in.ProfileID, &in.Key, &in.Node, &in.Status,
		&entered, &updated, &exited, &in.ExitReason, &state); err != nil {
		return store.JourneyInstance{}, err
	}
	in.EnteredAt, in.UpdatedAt = fromMicro(entered), fromMicro(updated)
	if exited.Valid {
		t := fromMicro(exited.Int64)
		in.ExitedAt = &t
	}
	in.State = rawJSON(state.String)
	return in, nil
}

// CountInstances counts a journey's instances, every version and status.
func (s *State) CountInstances(ctx context.Context, journeyID string) (int64, error) {
	var n int64
	if err := s.db.r.cachedQueryRow(ctx, "SELECT count(*) FROM journey_instances WHERE journey_id = ?", journeyID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count instances of journey %s: %w", journeyID, err)
	}
	return n, nil
}

// JourneyNodeCounts counts a journey's active instances per version and
// node, ordered by version then node.
func (s *State) JourneyNodeCounts(ctx context.Context, journeyID string) ([]store.JourneyNodeCount, error) {
	rows, err := s.db.r.cachedQuery(ctx, `SELECT version, node, count(*) FROM journey_instances
		WHERE journey_id = ? AND status = ? GROUP BY version, node ORDER BY version, node`, journeyID, store.InstanceActive)
	if err != nil {
		return nil, fmt.Errorf("count active instances of journey %s: %w", journeyID, err)
	}
	defer rows.Close()
	var out []store.JourneyNodeCount
	for rows.Next() {
		var c store.JourneyNodeCount
		if err := rows.Scan(&c.Version, &c.Node, &c.Active); err != nil {
			return nil, fmt.Errorf("count active instances of journey %s: %w", journeyID, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count active instances of journey %s: %w", journeyID, err)
	}
	return out, nil
}

// JourneyExitCounts counts a journey's exited instances per exit reason,
// ordered by reason.
func (s *State) JourneyExitCounts(ctx context.Context, journeyID string) ([]store.JourneyExitCount, error) {
	rows, err := s.db.r.cachedQuery(ctx, `SELECT exit_reason, count(*) FROM journey_instances
		WHERE journey_id = ? AND status = ? GROUP BY exit_reason ORDER BY exit_reason`, journeyID, store.InstanceExited)
	if err != nil {
		return nil, fmt.Errorf("count exits of journey %s: %w", journeyID, err)
	}
	defer rows.Close()
	var out []store.JourneyExitCount
	for rows.Next() {
		var c store.JourneyExitCount
		if err := rows.Scan(&c.Reason, &c.Count); err != nil {
			return nil, fmt.Errorf("count exits of journey %s: %w", journeyID, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count exits of journey %s: %w", journeyID, err)
	}
	return out, nil
}
