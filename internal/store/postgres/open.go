package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cairn-cdp/cairn/internal/store"
)

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Open connects to dsn, creates schema if missing, applies the pending
// migrations and returns the log and the state store. Both share one pool,
// closed when both are closed.
func Open(ctx context.Context, dsn, schema string, logger *slog.Logger) (*Log, *State, error) {
	if !schemaName.MatchString(schema) {
		return nil, nil, fmt.Errorf("open postgres: schema %q: use 1-63 lowercase letters, digits and underscores, e.g. cairn", schema)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("open postgres: parse dsn: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := migrate(ctx, pool, schema, logger); err != nil {
		pool.Close()
		return nil, nil, fmt.Errorf("open postgres schema %s: %w", schema, err)
	}
	sh := &shared{pool: pool, refs: 2}
	return &Log{db: sh, logger: logger}, &State{db: sh, logger: logger}, nil
}

// shared is the pool of a Log and State pair; the last Close closes it.
type shared struct {
	pool *pgxpool.Pool
	refs int32
}

func (s *shared) release() {
	if decRef(&s.refs) == 0 {
		s.pool.Close()
	}
}

// classify maps PostgreSQL constraint errors onto the store sentinels.
func classify(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return fmt.Errorf("%w: %w", store.ErrConflict, err)
		case "23503":
			return fmt.Errorf("%w: %w", store.ErrNotFound, err)
		}
	}
	return err
}

func checkLimit(limit int) error {
	if limit <= 0 {
		return fmt.Errorf("limit %d: must be positive", limit)
	}
	return nil
}

// inTx runs fn in a transaction.
func inTx(ctx context.Context, pool *pgxpool.Pool, fn func(tx pgx.Tx) error) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback(ctx)
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
