package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

// SetSubscription inserts or replaces a profile's state in a group.
func (s *State) SetSubscription(ctx context.Context, sub store.Subscription) error {
	if sub.ProfileID == "" || sub.GroupID == "" {
		return fmt.Errorf("set subscription %q/%q: profile and group must not be empty", sub.ProfileID, sub.GroupID)
	}
	if _, err := s.db.pool.Exec(ctx, `INSERT INTO subscriptions (profile_id, group_id, state, updated_at, source)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (profile_id, group_id) DO UPDATE SET state = excluded.state,
		updated_at = excluded.updated_at, source = excluded.source`,
		sub.ProfileID, sub.GroupID, sub.State, sub.UpdatedAt, sub.Source); err != nil {
		return fmt.Errorf("set subscription of profile %s to %s: %w", sub.ProfileID, sub.GroupID, err)
	}
	return nil
}

// Subscriptions lists a profile's subscription states ordered by group.
func (s *State) Subscriptions(ctx context.Context, profileID string) ([]store.Subscription, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT profile_id, group_id, state, updated_at, source FROM subscriptions
		WHERE profile_id = $1 ORDER BY group_id`, profileID)
	if err != nil {
		return nil, fmt.Errorf("list subscriptions of profile %s: %w", profileID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Subscription, error) {
		var sub store.Subscription
		err := r.Scan(&sub.ProfileID, &sub.GroupID, &sub.State, &sub.UpdatedAt, &sub.Source)
		sub.UpdatedAt = sub.UpdatedAt.UTC()
		return sub, err
	})
	if err != nil {
		return nil, fmt.Errorf("list subscriptions of profile %s: %w", profileID, err)
	}
	return nilIfNone(out), nil
}

// AddSuppression inserts or replaces the suppression of (channel, address).
func (s *State) AddSuppression(ctx context.Context, sup store.Suppression) error {
	if sup.Channel == "" || sup.Address == "" {
		return fmt.Errorf("add suppression %q/%q: channel and address must not be empty", sup.Channel, sup.Address)
	}
	if _, err := s.db.pool.Exec(ctx, `INSERT INTO suppressions (channel, address, reason, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (channel, address) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at`,
		sup.Channel, sup.Address, sup.Reason, sup.CreatedAt); err != nil {
		return fmt.Errorf("add %s suppression: %w", sup.Channel, err)
	}
	return nil
}

// Suppressed returns the suppression of an address on channel.
func (s *State) Suppressed(ctx context.Context, channel, address string) (store.Suppression, error) {
	sup, err := scanSuppression(s.db.pool.QueryRow(ctx, `SELECT channel, address, reason, created_at FROM suppressions
		WHERE channel = $1 AND address = $2`, channel, address))
	if errors.Is(err, pgx.ErrNoRows) {
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
	rows, err := s.db.pool.Query(ctx, `SELECT channel, address, reason, created_at FROM suppressions
		WHERE channel = $1 AND address > $2 ORDER BY address LIMIT $3`, channel, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list %s suppressions: %w", channel, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Suppression, error) { return scanSuppression(r) })
	if err != nil {
		return nil, fmt.Errorf("list %s suppressions: %w", channel, err)
	}
	return nilIfNone(out), nil
}

func scanSuppression(r pgx.Row) (store.Suppression, error) {
	var sup store.Suppression
	if err := r.Scan(&sup.Channel, &sup.Address, &sup.Reason, &sup.CreatedAt); err != nil {
		return store.Suppression{}, err
	}
	sup.CreatedAt = sup.CreatedAt.UTC()
	return sup, nil
}

var _ store.DeliveryStore = (*State)(nil)
