package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

// CreateSource creates s and its write keys; ErrConflict if the id or a key exists.
func (s *State) CreateSource(ctx context.Context, src store.Source) error {
	if src.ID == "" {
		return fmt.Errorf("create source: empty id")
	}
	err := inTx(ctx, s.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO sources (id, name, channel, party, created_at, link_anonymous)
			VALUES ($1, $2, $3, $4, $5, $6)`, src.ID, src.Name, src.Channel, src.Party, src.CreatedAt, src.LinkAnonymous); err != nil {
			return classify(err)
		}
		for _, k := range src.Keys {
			k.SourceID = src.ID
			if err := insertKey(ctx, tx, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create source %s: %w", src.ID, err)
	}
	return nil
}

func insertKey(ctx context.Context, tx pgx.Tx, k store.WriteKey) error {
	if k.Key == "" {
		return fmt.Errorf("write key of source %s: empty key", k.SourceID)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO write_keys (key, source_id, created_at, revoked_at) VALUES ($1, $2, $3, $4)",
		k.Key, k.SourceID, k.CreatedAt, k.RevokedAt); err != nil {
		return fmt.Errorf("insert write key: %w", classify(err))
	}
	return nil
}

// GetSource returns one source with its keys.
func (s *State) GetSource(ctx context.Context, id string) (store.Source, error) {
	srcs, err := s.querySources(ctx, id)
	if err != nil {
		return store.Source{}, fmt.Errorf("get source %s: %w", id, err)
	}
	if len(srcs) == 0 {
		return store.Source{}, fmt.Errorf("get source %s: %w", id, store.ErrNotFound)
	}
	return srcs[0], nil
}

// ListSources returns every source with its keys, ordered by id.
func (s *State) ListSources(ctx context.Context) ([]store.Source, error) {
	srcs, err := s.querySources(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	return srcs, nil
}

// querySources reads one source (id set) or all.
func (s *State) querySources(ctx context.Context, id string) ([]store.Source, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT id, name, channel, party, created_at, link_anonymous FROM sources
		WHERE $1 = '' OR id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	var out []store.Source
	idx := map[string]int{}
	for rows.Next() {
		var src store.Source
		if err := rows.Scan(&src.ID, &src.Name, &src.Channel, &src.Party, &src.CreatedAt, &src.LinkAnonymous); err != nil {
			rows.Close()
			return nil, err
		}
		src.CreatedAt = src.CreatedAt.UTC()
		idx[src.ID] = len(out)
		out = append(out, src)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return nil, err
	}
	krows, err := s.db.pool.Query(ctx, `SELECT key, source_id, created_at, revoked_at FROM write_keys
		WHERE $1 = '' OR source_id = $1 ORDER BY created_at, key`, id)
	if err != nil {
		return nil, err
	}
	defer krows.Close()
	for krows.Next() {
		k, err := scanKey(krows)
		if err != nil {
			return nil, err
		}
		if i, ok := idx[k.SourceID]; ok {
			out[i].Keys = append(out[i].Keys, k)
		}
	}
	return out, krows.Err()
}

func scanKey(r pgx.Row) (store.WriteKey, error) {
	var k store.WriteKey
	if err := r.Scan(&k.Key, &k.SourceID, &k.CreatedAt, &k.RevokedAt); err != nil {
		return k, err
	}
	k.CreatedAt = k.CreatedAt.UTC()
	if k.RevokedAt != nil {
		t := k.RevokedAt.UTC()
		k.RevokedAt = &t
	}
	return k, nil
}

// AddWriteKey adds a key to an existing source.
func (s *State) AddWriteKey(ctx context.Context, k store.WriteKey) error {
	err := inTx(ctx, s.db.pool, func(tx pgx.Tx) error { return insertKey(ctx, tx, k) })
	if err != nil {
		return fmt.Errorf("add write key to source %s: %w", k.SourceID, err)
	}
	return nil
}

// RevokeWriteKey marks a key of sourceID revoked at at.
func (s *State) RevokeWriteKey(ctx context.Context, sourceID, key string, at time.Time) error {
	tag, err := s.db.pool.Exec(ctx, "UPDATE write_keys SET revoked_at = $1 WHERE key = $2 AND source_id = $3", at, key, sourceID)
	if err != nil {
		return fmt.Errorf("revoke write key of source %s: %w", sourceID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("revoke write key of source %s: %w", sourceID, store.ErrNotFound)
	}
	return nil
}

// SourceByWriteKey returns the source of key and the key itself (RevokedAt
// set when revoked); ErrNotFound for an unknown key.
func (s *State) SourceByWriteKey(ctx context.Context, key string) (store.Source, store.WriteKey, error) {
	var (
		k   store.WriteKey
		src store.Source
	)
	err := s.db.pool.QueryRow(ctx, `SELECT k.key, k.source_id, k.created_at, k.revoked_at,
		s.id, s.name, s.channel, s.party, s.created_at, s.link_anonymous
		FROM write_keys k JOIN sources s ON s.id = k.source_id WHERE k.key = $1`, key).
		Scan(&k.Key, &k.SourceID, &k.CreatedAt, &k.RevokedAt, &src.ID, &src.Name, &src.Channel, &src.Party,
			&src.CreatedAt, &src.LinkAnonymous)
	if errors.Is(err, pgx.ErrNoRows) {
		return src, k, fmt.Errorf("look up write key: %w", store.ErrNotFound)
	}
	if err != nil {
		return src, k, fmt.Errorf("look up write key: %w", err)
	}
	k.CreatedAt, src.CreatedAt = k.CreatedAt.UTC(), src.CreatedAt.UTC()
	if k.RevokedAt != nil {
		t := k.RevokedAt.UTC()
		k.RevokedAt = &t
	}
	return src, k, nil
}
