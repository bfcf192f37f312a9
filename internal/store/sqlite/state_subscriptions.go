package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/store"
)

// SetSubscription inserts or replaces a profile's state in a group.
func (s *State) SetSubscription(ctx context.Context, sub store.Subscription) error {
	if sub.ProfileID == "" || sub.GroupID == "" {
		return fmt.Errorf("set subscription %q/%q: profile and group must not be empty", sub.ProfileID, sub.GroupID)
	}
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (profile_id, group_id, state, updated_at, source)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (profile_id, group_id) DO UPDATE SET state = excluded.state,
			updated_at = excluded.updated_at, source = excluded.source`,
			sub.ProfileID, sub.GroupID, sub.State, micro(sub.UpdatedAt), sub.Source)
		return err
	})
	if err != nil {
		return fmt.Errorf("set subscription of profile %s to %s: %w", sub.ProfileID, sub.GroupID, err)
	}
	return nil
}

// Subscriptions lists a profile's subscription states ordered by group.
func (s *State) Subscriptions(ctx context.Context, profileID string) ([]store.Subscription, error) {
	rows, err := s.db.r.cachedQuery(ctx, `SELECT profile_id, group_id, state, updated_at, source FROM subscriptions
		WHERE profile_id = ? ORDER BY group_id`, profileID)
	if err != nil {
		return nil, fmt.Errorf("list subscriptions of profile %s: %w", profileID, err)
	}
	defer rows.Close()
	var out []store.Subscription
	for rows.Next() {
		var (
			sub     store.Subscription
			updated int64
		)
		if err := rows.Scan(&sub.ProfileID, &sub.GroupID, &sub.State, &updated, &sub.Source); err != nil {
			return nil, fmt.Errorf("list subscriptions of profile %s: %w", profileID, err)
		}
		sub.UpdatedAt = fromMicro(updated)
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list subscriptions of profile %s: %w", profileID, err)
	}
	return out, nil
}

// AddSuppression inserts or replaces the suppression of (channel, address).
func (s *State) AddSuppression(ctx context.Context, sup store.Suppression) error {
	if sup.Channel == "" || sup.Address == "" {
		return fmt.Errorf("add suppression %q/%q: channel and address must not be empty", sup.Channel, sup.Address)
	}
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO suppressions (channel, address, reason, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (channel, address) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at`,
			sup.Channel, sup.Address, sup.Reason, micro(sup.CreatedAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("add %s suppression: %w", sup.Channel, err)
	}
	return nil
}

// Suppressed returns the suppression of an address on channel.
func (s *State) Suppressed(ctx context.Context, channel, address string) (store.Suppression, error) {
	sup, err := scanSuppression(s.db.r.cachedQueryRow(ctx, `SELECT channel, address, reason, created_at FROM suppressions
		WHERE channel = ? AND address = ?`, channel, address))
	if errors.Is(err, sql.ErrNoRows) {
		return sup, fmt.Errorf("check %s suppression: %w", channel, store.ErrNotFound)
	}
	if err != nil {
		return sup, fmt.Errorf("check %s suppression: %w", channel, err)
	}
	return sup, nil
}

// ListSuppressions lists up to limit suppressions of channel ordered by
// address, after the cursor address.
func (s *State) ListSuppressions(ctx context.Context, channel, after string, limit int) ([]store.Suppression, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("list %s suppressions: %w", channel, err)
	}
	rows, err := s.db.r.cachedQuery(ctx, `SELECT channel, address, reason, created_at FROM suppressions
		WHERE channel = ? AND address > ? ORDER BY address LIMIT ?`, channel, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list %s suppressions: %w", channel, err)
	}
	defer rows.Close()
	var out []store.Suppression
	for rows.Next() {
		sup, err := scanSuppression(rows)
		if err != nil {
			return nil, fmt.Errorf("list %s suppressions: %w", channel, err)
		}
		out = append(out, sup)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list %s suppressions: %w", channel, err)
	}
	return out, nil
}

func scanSuppression(r scanner) (store.Suppression, error) {
	var (
		sup     store.Suppression
		created int64
	)
	if err := r.Scan(&sup.Channel, &sup.Address, &sup.Reason, &created); err != nil {
		return store.Suppression{}, err
	}
	sup.CreatedAt = fromMicro(created)
	return sup, nil
}

var _ store.DeliveryStore = (*State)(nil)
