package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// PutComputedTrait creates or replaces a computed trait definition.
func (s *State) PutComputedTrait(ctx context.Context, c store.ComputedTrait) (store.ComputedTrait, error) {
	if c.Name == "" {
		return store.ComputedTrait{}, errors.New("put computed trait: empty name")
	}
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO computed_traits (name, version, definition, created_at, updated_at, deleted_at)
			VALUES (?, 1, ?, ?, ?, NULL)
			ON CONFLICT (name) DO UPDATE SET version = version + 1, definition = excluded.definition,
				updated_at = excluded.updated_at, deleted_at = NULL`,
			c.Name, string(c.Definition), micro(c.UpdatedAt), micro(c.UpdatedAt))
		return classify(err)
	})
	if err != nil {
		return store.ComputedTrait{}, fmt.Errorf("put computed trait %s: %w", c.Name, err)
	}
	return s.GetComputedTrait(ctx, c.Name)
}

const computedCols = "name, version, definition, created_at, updated_at, deleted_at"

func scanComputed(row interface{ Scan(...any) error }) (store.ComputedTrait, error) {
	var (
		c                store.ComputedTrait
		def              string
		created, updated int64
		deleted          sql.NullInt64
	)
	if err := row.Scan(&c.Name, &c.Version, &def, &created, &updated, &deleted); err != nil {
		return c, err
	}
	c.Definition = []byte(def)
	c.CreatedAt, c.UpdatedAt = fromMicro(created), fromMicro(updated)
	if deleted.Valid {
		t := fromMicro(deleted.Int64)
		c.DeletedAt = &t
	}
	return c, nil
}

// GetComputedTrait returns a definition, also a deleted one.
func (s *State) GetComputedTrait(ctx context.Context, name string) (store.ComputedTrait, error) {
	c, err := scanComputed(s.db.r.QueryRowContext(ctx, "SELECT "+computedCols+" FROM computed_traits WHERE name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		return store.ComputedTrait{}, fmt.Errorf("get computed trait %s: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return store.ComputedTrait{}, fmt.Errorf("get computed trait %s: %w", name, err)
	}
	return c, nil
}

// ListComputedTraits lists the definitions not deleted, by name.
func (s *State) ListComputedTraits(ctx context.Context) ([]store.ComputedTrait, error) {
	rows, err := s.db.r.QueryContext(ctx, "SELECT "+computedCols+" FROM computed_traits WHERE deleted_at IS NULL ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list computed traits: %w", err)
	}
	defer rows.Close()
	var out []store.ComputedTrait
	for rows.Next() {
		c, err := scanComputed(rows)
		if err != nil {
			return nil, fmt.Errorf("list computed traits: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list computed traits: %w", err)
	}
	return out, nil
}

// DeleteComputedTrait marks a definition deleted.
func (s *State) DeleteComputedTrait(ctx context.Context, name string, at time.Time) error {
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE computed_traits SET deleted_at = ? WHERE name = ? AND deleted_at IS NULL", micro(at), name)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, store.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete computed trait %s: %w", name, err)
	}
	return nil
}

var _ store.ComputedTraitStore = (*State)(nil)
