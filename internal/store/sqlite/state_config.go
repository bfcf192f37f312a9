package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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
	err = inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO config_objects (kind, id, body, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
			o.Kind, o.ID, body, micro(o.UpdatedAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("put config %s/%s: %w", o.Kind, o.ID, err)
	}
	return nil
}

// GetConfig returns one object.
func (s *State) GetConfig(ctx context.Context, kind, id string) (store.ConfigObject, error) {
	o, err := scanConfig(s.db.r.cachedQueryRow(ctx,
		"SELECT kind, id, body, updated_at FROM config_objects WHERE kind = ? AND id = ?", kind, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, fmt.Errorf("get config %s/%s: %w", kind, id, store.ErrNotFound)
	}
	if err != nil {
		return o, fmt.Errorf("get config %s/%s: %w", kind, id, err)
	}
	return o, nil
}

// ListConfig lists the objects of kind ordered by id.
func (s *State) ListConfig(ctx context.Context, kind string) ([]store.ConfigObject, error) {
	rows, err := s.db.r.cachedQuery(ctx, "SELECT kind, id, body, updated_at FROM config_objects WHERE kind = ? ORDER BY id", kind)
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

func scanConfig(r scanner) (store.ConfigObject, error) {
	var (
		o       store.ConfigObject
		body    string
		updated int64
	)
	if err := r.Scan(&o.Kind, &o.ID, &body, &updated); err != nil {
		return store.ConfigObject{}, err
	}
	o.Body, o.UpdatedAt = rawJSON(body), fromMicro(updated)
	return o, nil
}

// DeleteConfig deletes one object.
func (s *State) DeleteConfig(ctx context.Context, kind, id string) error {
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM config_objects WHERE kind = ? AND id = ?", kind, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, store.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete config %s/%s: %w", kind, id, err)
	}
	return nil
}

var _ store.ConfigStore = (*State)(nil)
