package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cairn-cdp/cairn/internal/store"
)

// State is the state store in PostgreSQL.
type State struct {
	db        *shared
	logger    *slog.Logger
	closeOnce sync.Once
}

// Pool returns the connection pool, for tests and administrative tools.
func (s *State) Pool() *pgxpool.Pool { return s.db.pool }

// Checkpoint returns the last log Seq that Apply covered.
func (s *State) Checkpoint(ctx context.Context) (int64, error) {
	var cp int64
	if err := s.db.pool.QueryRow(ctx, "SELECT checkpoint FROM state_meta WHERE id = 1").Scan(&cp); err != nil {
		return 0, fmt.Errorf("read checkpoint: %w", err)
	}
	return cp, nil
}

// Reset deletes all derived state and the checkpoint; sources, keys,
// tombstones, audit, the control plane (segments, stages, computed traits,
// journeys, config) and the delivery ledger (sends, engagements,
// subscriptions, suppressions) stay.
func (s *State) Reset(ctx context.Context) error {
	err := inTx(ctx, s.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `TRUNCATE profiles, identities, traits, timeline, accounts, account_traits,
			memberships, merges, segment_members, segment_sizes, timers, journey_instances`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "UPDATE state_meta SET checkpoint = 0 WHERE id = 1")
		return err
	})
	if err != nil {
		return fmt.Errorf("reset state: %w", err)
	}
	return nil
}

// Close releases the state store's share of the pool.
func (s *State) Close() error {
	s.closeOnce.Do(s.db.release)
	return nil
}

// compactJSON validates v and returns it compacted, the form stored and
// compared by FindProfiles.
func compactJSON(v json.RawMessage) (string, error) {
	if len(v) == 0 {
		return "", fmt.Errorf("empty JSON value; use null for an explicit null")
	}
	var buf bytes.Buffer
	buf.Grow(len(v))
	if err := json.Compact(&buf, v); err != nil {
		return "", fmt.Errorf("invalid JSON value %.64q: %w", v, err)
	}
	return buf.String(), nil
}

func encodeKeys(v []store.IdentityKey) string {
	if len(v) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(v) // plain strings always marshal
	return string(b)
}

func decodeKeys(b []byte) ([]store.IdentityKey, error) {
	var v []store.IdentityKey
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("decode identity keys %.64q: %w", b, err)
	}
	if len(v) == 0 {
		return nil, nil
	}
	return v, nil
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func nilIfEmpty(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	return v
}

var _ store.State = (*State)(nil)
