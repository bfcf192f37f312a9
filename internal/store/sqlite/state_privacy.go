package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// EraseProfile deletes the profiles, every profile merged into them
// (transitively), and their identities, traits, timeline, memberships,
// segment memberships, timers, journey instances, sends (with their
// engagements), subscriptions and merge records, then truncates the WAL so
// no copy remains on disk.
func (s *State) EraseProfile(ctx context.Context, profileIDs []string) error {
	if len(profileIDs) == 0 {
		return nil
	}
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		ids := slices.Clone(profileIDs)
		for _, id := range profileIDs {
			from, err := queryStrings(ctx, tx, `WITH RECURSIVE m(id) AS (
					SELECT id FROM profiles WHERE merged_into = ?
					UNION SELECT p.id FROM profiles p JOIN m ON p.merged_into = m.id)
				SELECT id FROM m`, id)
			if err != nil {
				return fmt.Errorf("find profiles merged into %s: %w", id, err)
			}
			ids = append(ids, from...)
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		for chunk := range slices.Chunk(ids, maxParams/2) {
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			in := "(" + placeholders(len(chunk)) + ")"
			sizes := sizeDelta{}
			if err := sizes.query(ctx, tx, -1, "DELETE FROM segment_members WHERE profile_id IN "+in+" RETURNING segment_id", args...); err != nil {
				return err
			}
			if err := sizes.write(ctx, tx); err != nil {
				return err
			}
			for _, q := range []string{
				"DELETE FROM identities WHERE profile_id IN " + in,
				"DELETE FROM traits WHERE profile_id IN " + in,
				"DELETE FROM timeline WHERE profile_id IN " + in,
				"DELETE FROM memberships WHERE profile_id IN " + in,
				"DELETE FROM timers WHERE profile_id IN " + in,
				"DELETE FROM journey_instances WHERE profile_id IN " + in,
				"DELETE FROM send_engagements WHERE send_key IN (SELECT key FROM sends WHERE profile_id IN " + in + ")",
				"DELETE FROM sends WHERE profile_id IN " + in,
				"DELETE FROM subscriptions WHERE profile_id IN " + in,
				"DELETE FROM profiles WHERE id IN " + in,
			} {
				if _, err := tx.ExecContext(ctx, q, args...); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM merges WHERE winner IN "+in+" OR loser IN "+in,
				append(args, args...)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("erase %d profiles: %w", len(profileIDs), err)
	}
	busy, err := s.db.walTruncate(ctx)
	if err != nil {
		return fmt.Errorf("erase %d profiles: %w", len(profileIDs), err)
	}
	if busy {
		s.logger.WarnContext(ctx, "wal checkpoint after profile erase was blocked by readers; it completes on a later checkpoint")
	}
	return nil
}

// AddTombstone records the hash of an erased identifier; adding it twice is a no-op.
func (s *State) AddTombstone(ctx context.Context, hash string, at time.Time) error {
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO tombstones (hash, at) VALUES (?, ?) ON CONFLICT DO NOTHING", hash, micro(at))
		return err
	})
	if err != nil {
		return fmt.Errorf("add tombstone: %w", err)
	}
	return nil
}

// HasTombstone reports whether any of hashes is tombstoned.
func (s *State) HasTombstone(ctx context.Context, hashes []string) (bool, error) {
	for chunk := range slices.Chunk(hashes, maxParams) {
		args := make([]any, len(chunk))
		for i, h := range chunk {
			args[i] = h
		}
		var found int
		err := s.db.r.QueryRowContext(ctx,
			"SELECT EXISTS (SELECT 1 FROM tombstones WHERE hash IN ("+placeholders(len(chunk))+"))", args...).Scan(&found)
		if err != nil {
			return false, fmt.Errorf("check tombstones: %w", err)
		}
		if found != 0 {
			return true, nil
		}
	}
	return false, nil
}

// Tombstones lists every tombstone hash, sorted.
func (s *State) Tombstones(ctx context.Context) ([]string, error) {
	hashes, err := queryStrings(ctx, s.db.r, "SELECT hash FROM tombstones ORDER BY hash")
	if err != nil {
		return nil, fmt.Errorf("list tombstones: %w", err)
	}
	return hashes, nil
}

// Audit appends an entry to the audit log; e.ID is assigned by the store.
func (s *State) Audit(ctx context.Context, e store.AuditEntry) error {
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO audit (time, action, target, detail) VALUES (?, ?, ?, ?)",
			micro(e.Time), e.Action, e.Target, e.Detail)
		return err
	})
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns the newest limit audit entries, newest first.
func (s *State) AuditLog(ctx context.Context, limit int) ([]store.AuditEntry, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	rows, err := s.db.r.cachedQuery(ctx, "SELECT id, time, action, target, detail FROM audit ORDER BY id DESC LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var (
			e  store.AuditEntry
			at int64
		)
		if err := rows.Scan(&e.ID, &at, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		e.Time = fromMicro(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}
