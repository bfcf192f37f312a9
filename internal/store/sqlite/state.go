package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/cairn-cdp/cairn/internal/store"
)

// State is the state store in state.db.
type State struct {
	db     *pool
	logger *slog.Logger
	mu     sync.Mutex // serializes writers

	apply applyStmts
	args  []any // Apply's argument buffer; guarded by mu

	seg       membershipStmts // Apply's segment membership and timer statements (state_membership.go)
	jrn       journeyStmts    // Apply's journey instance and send statements (state_journey_apply.go)
	insOutbox *sql.Stmt       // Apply's outbox batch insert (state_outbox.go)

	sendUpdates sendUpdates // UpdateSend's group commit (state_send_update.go)
}

// OpenState opens (creating and migrating if needed) the state store at
// path, usually <data>/state.db.
func OpenState(ctx context.Context, path string, logger *slog.Logger) (*State, error) {
	p, err := openPool(ctx, path, poolConfig{synchronous: syncNormal, pageSize: statePageSize, checkpointPages: stateCheckpointPages, cacheKiB: stateWriterCacheKiB, checkpointEvery: stateCheckpointEvery, logger: logger})
	if err != nil {
		return nil, err
	}
	s := &State{db: p, logger: logger}
	if err := migrate(ctx, p.w, "state", logger); err != nil {
		_ = p.close()
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	if err := s.apply.prepare(ctx, p.w); err != nil {
		_ = s.apply.close()
		_ = p.close()
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	if s.insOutbox, err = p.w.PrepareContext(ctx, "INSERT INTO outbox_batches (events) VALUES (?)"); err != nil {
		_ = s.apply.close()
		_ = p.close()
		return nil, fmt.Errorf("open state %s: prepare the outbox insert: %w", path, err)
	}
	return s, nil
}

// Checkpoint returns the last log Seq that Apply covered.
func (s *State) Checkpoint(ctx context.Context) (int64, error) {
	var cp int64
	if err := s.db.r.cachedQueryRow(ctx, "SELECT checkpoint FROM state_meta WHERE id = 1").Scan(&cp); err != nil {
		return 0, fmt.Errorf("read checkpoint: %w", err)
	}
	return cp, nil
}

// Reset deletes all derived state and the checkpoint; sources, keys,
// tombstones, audit, the control plane (segments, stages, computed traits,
// journeys, config) and the delivery ledger (sends, engagements,
// subscriptions, suppressions) stay.
func (s *State) Reset(ctx context.Context) error {
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		for _, t := range []string{"profiles", "identities", "traits", "timeline", "accounts",
			"account_traits", "memberships", "merges", "segment_members", "segment_sizes", "timers", "journey_instances"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return fmt.Errorf("clear %s: %w", t, err)
			}
		}
		_, err := tx.ExecContext(ctx, "UPDATE state_meta SET checkpoint = 0 WHERE id = 1")
		return err
	})
	if err != nil {
		return fmt.Errorf("reset state: %w", err)
	}
	return nil
}

// Close closes the statements and both connection pools.
func (s *State) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := errors.Join(s.apply.close(), s.seg.close(), s.jrn.close(), s.insOutbox.Close(), s.db.close()); err != nil {
		return fmt.Errorf("close state: %w", err)
	}
	return nil
}

// Open opens both stores of a data folder: dir/log.db and dir/state.db.
func Open(ctx context.Context, dir string, logger *slog.Logger) (*Log, *State, error) {
	l, err := OpenLog(ctx, dir+"/log.db", logger)
	if err != nil {
		return nil, nil, err
	}
	s, err := OpenState(ctx, dir+"/state.db", logger)
	if err != nil {
		_ = l.Close()
		return nil, nil, err
	}
	return l, s, nil
}

var _ store.State = (*State)(nil)
