package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

// EraseProfile deletes the profiles, every profile merged into them
// (transitively), and their identities, traits, timeline, memberships,
// segment memberships, timers, journey instances, sends (with their
// engagements), subscriptions and merge records.
func (s *State) EraseProfile(ctx context.Context, profileIDs []string) error {
	if len(profileIDs) == 0 {
		return nil
	}
	err := inTx(ctx, s.db.pool, func(tx pgx.Tx) error {
		ids := slices.Clone(profileIDs)
		for _, id := range profileIDs {
			from, err := mergedFrom(ctx, tx, id)
			if err != nil {
				return fmt.Errorf("find profiles merged into %s: %w", id, err)
			}
			ids = append(ids, from...)
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		for _, q := range []string{
			"DELETE FROM identities WHERE profile_id = ANY($1)",
			"DELETE FROM traits WHERE profile_id = ANY($1)",
			"DELETE FROM timeline WHERE profile_id = ANY($1)",
			"DELETE FROM memberships WHERE profile_id = ANY($1)",
			"DELETE FROM segment_members WHERE profile_id = ANY($1)",
			"DELETE FROM timers WHERE profile_id = ANY($1)",
			"DELETE FROM journey_instances WHERE profile_id = ANY($1)",
			"DELETE FROM send_engagements WHERE send_key IN (SELECT key FROM sends WHERE profile_id = ANY($1))",
			"DELETE FROM sends WHERE profile_id = ANY($1)",
			"DELETE FROM subscriptions WHERE profile_id = ANY($1)",
			"DELETE FROM merges WHERE winner = ANY($1) OR loser = ANY($1)",
			"DELETE FROM profiles WHERE id = ANY($1)",
		} {
			if _, err := tx.Exec(ctx, q, ids); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("erase %d profiles: %w", len(profileIDs), err)
	}
	return nil
}

// AddTombstone records the hash of an erased identifier; adding it twice is a no-op.
func (s *State) AddTombstone(ctx context.Context, hash string, at time.Time) error {
	if _, err := s.db.pool.Exec(ctx, "INSERT INTO tombstones (hash, at) VALUES ($1, $2) ON CONFLICT DO NOTHING", hash, at); err != nil {
		return fmt.Errorf("add tombstone: %w", err)
	}
	return nil
}

// HasTombstone reports whether any of hashes is tombstoned.
func (s *State) HasTombstone(ctx context.Context, hashes []string) (bool, error) {
	if len(hashes) == 0 {
		return false, nil
	}
	var found bool
	if err := s.db.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM tombstones WHERE hash = ANY($1))", hashes).Scan(&found); err != nil {
		return false, fmt.Errorf("check tombstones: %w", err)
	}
	return found, nil
}

// Tombstones lists every tombstone hash, sorted.
func (s *State) Tombstones(ctx context.Context) ([]string, error) {
	rows, err := s.db.pool.Query(ctx, "SELECT hash FROM tombstones ORDER BY hash")
	if err != nil {
		return nil, fmt.Errorf("list tombstones: %w", err)
	}
	hashes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list tombstones: %w", err)
	}
	if len(hashes) == 0 {
		return nil, nil
	}
	return hashes, nil
}

// Audit appends an entry to the audit log; e.ID is assigned by the store.
func (s *State) Audit(ctx context.Context, e store.AuditEntry) error {
	if _, err := s.db.pool.Exec(ctx, "INSERT INTO audit (time, action, target, detail) VALUES ($1, $2, $3, $4)",
		e.Time, e.Action, e.Target, e.Detail); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns the newest limit audit entries, newest first.
func (s *State) AuditLog(ctx context.Context, limit int) ([]store.AuditEntry, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	rows, err := s.db.pool.Query(ctx, "SELECT id, time, action, target, detail FROM audit ORDER BY id DESC LIMIT $1", limit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var e store.AuditEntry
		if err := rows.Scan(&e.ID, &e.Time, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		e.Time = e.Time.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}
