package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

// PutComputedTrait creates or replaces a computed trait definition.
func (s *State) PutComputedTrait(ctx context.Context, c store.ComputedTrait) (store.ComputedTrait, error) {
	if c.Name == "" {
		return store.ComputedTrait{}, errors.New("put computed trait: empty name")
	}
	_, err := s.db.pool.Exec(ctx, `INSERT INTO computed_traits (name, version, definition, created_at, updated_at, deleted_at)
		VALUES ($1, 1, $2, $3, $3, NULL)
		ON CONFLICT (name) DO UPDATE SET version = computed_traits.version + 1, definition = excluded.definition,
			updated_at = excluded.updated_at, deleted_at = NULL`,
		c.Name, string(c.Definition), c.UpdatedAt)
	if err != nil {
		return store.ComputedTrait{}, fmt.Errorf("put computed trait %s: %w", c.Name, classify(err))
	}
	return s.GetComputedTrait(ctx, c.Name)
}

const computedCols = "name, version, definition, created_at, updated_at, deleted_at"

func scanComputed(row pgx.Row) (store.ComputedTrait, error) {
	var (
		c   store.ComputedTrait
		def string
	)
	if err := row.Scan(&c.Name, &c.Version, &def, &c.CreatedAt, &c.UpdatedAt, &c.DeletedAt); err != nil {
		return c, err
	}
	c.Definition = []byte(def)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if c.DeletedAt != nil {
		t := c.DeletedAt.UTC()
		c.DeletedAt = &t
	}
	return c, nil
}

// GetComputedTrait returns a definition, also a deleted one.
func (s *State) GetComputedTrait(ctx context.Context, name string) (store.ComputedTrait, error) {
	c, err := scanComputed(s.db.pool.QueryRow(ctx, "SELECT "+computedCols+" FROM computed_traits WHERE name = $1", name))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ComputedTrait{}, fmt.Errorf("get computed trait %s: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return store.ComputedTrait{}, fmt.Errorf("get computed trait %s: %w", name, err)
	}
	return c, nil
}

// ListComputedTraits lists the definitions not deleted, by name.
func (s *State) ListComputedTraits(ctx context.Context) ([]store.ComputedTrait, error) {
	rows, err := s.db.pool.Query(ctx, "SELECT "+computedCols+" FROM computed_traits WHERE deleted_at IS NULL ORDER BY name")
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
	tag, err := s.db.pool.Exec(ctx, "UPDATE computed_traits SET deleted_at = $1 WHERE name = $2 AND deleted_at IS NULL", at, name)
	if err != nil {
		return fmt.Errorf("delete computed trait %s: %w", name, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("delete computed trait %s: %w", name, store.ErrNotFound)
	}
	return nil
}

var _ store.ComputedTraitStore = (*State)(nil)
