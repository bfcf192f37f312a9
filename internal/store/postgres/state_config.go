package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

// PutConfig inserts or replaces the object (o.Kind, o.ID).
func (s *State) PutConfig(ctx context.Context, o store.ConfigObject) error {
	if o.Kind == "" || o.ID == "" {
		return fmt.Errorf("put config %q/%q: kind and id must not be empty", o.Kind, o.ID)
	}
	body, err := textJSON("body", o.Body, false)
	if err != nil {
		return fmt.Errorf("put config %s/%s: %w", o.Kind, o.ID, err)
	}
	if _, err := s.db.pool.Exec(ctx, `INSERT INTO config_objects (kind, id, body, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
		o.Kind, o.ID, body, o.UpdatedAt); err != nil {
		return fmt.Errorf("put config %s/%s: %w", o.Kind, o.ID, err)
	}
	return nil
}

// GetConfig returns one object.
func (s *State) GetConfig(ctx context.Context, kind, id string) (store.ConfigObject, error) {
	o, err := scanConfig(s.db.pool.QueryRow(ctx,
		"SELECT kind, id, body, updated_at FROM config_objects WHERE kind = $1 AND id = $2", kind, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return o, fmt.Errorf("get config %s/%s: %w", kind, id, store.ErrNotFound)
	}
	if err != nil {
		return o, fmt.Errorf("get config %s/%s: %w", kind, id, err)
	}
	return o, nil
}

// ListConfig lists the objects of kind ordered by id.
func (s *State) ListConfig(ctx context.Context, kind string) ([]store.ConfigObject, error) {
	rows, err := s.db.pool.Query(ctx, "SELECT kind, id, body, updated_at FROM config_objects WHERE kind = $1 ORDER BY id", kind)
	if err != nil {
		return nil, fmt.Errorf("list config %s: %w", kind, err)
	}
	defer rows.Close()
	var out []store.ConfigObject
	for rows.Next() {
		o, err := scanConfig(rows)
		if err != nil {
			return nil, fmt.Errorf("list config %s: %w", kind, err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list config %s: %w", kind, err)
	}
	return out, nil
}

func scanConfig(r pgx.Row) (store.ConfigObject, error) {
	var (
		o    store.ConfigObject
		body string
	)
	if err := r.Scan(&o.Kind, &o.ID, &body, &o.UpdatedAt); err != nil {
		return store.ConfigObject{}, err
	}
	o.Body, o.UpdatedAt = rawJSON(body), o.UpdatedAt.UTC()
	return o, nil
}

// DeleteConfig deletes one object.
func (s *State) DeleteConfig(ctx context.Context, kind, id string) error {
	tag, err := s.db.pool.Exec(ctx, "DELETE FROM config_objects WHERE kind = $1 AND id = $2", kind, id)
	if err != nil {
		return fmt.Errorf("delete config %s/%s: %w", kind, id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("delete config %s/%s: %w", kind, id, store.ErrNotFound)
	}
	return nil
}

var _ store.ConfigStore = (*State)(nil)
