package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// CreateSource creates s and its write keys; ErrConflict if the id or a key exists.
func (s *State) CreateSource(ctx context.Context, src store.Source) error {
	if src.ID == "" {
		return fmt.Errorf("create source: empty id")
	}
	var link any
	if src.LinkAnonymous != nil {
		link = *src.LinkAnonymous
	}
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sources (id, name, channel, party, created_at, link_anonymous)
			VALUES (?, ?, ?, ?, ?, ?)`, src.ID, src.Name, src.Channel, src.Party, micro(src.CreatedAt), link); err != nil {
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

func insertKey(ctx context.Context, tx *sql.Tx, k store.WriteKey) error {
	if k.Key == "" {
		return fmt.Errorf("write key of source %s: empty key", k.SourceID)
	}
	var revoked any
	if k.RevokedAt != nil {
		revoked = micro(*k.RevokedAt)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO write_keys (key, source_id, created_at, revoked_at) VALUES (?, ?, ?, ?)",
		k.Key, k.SourceID, micro(k.CreatedAt), revoked); err != nil {
		return fmt.Errorf("insert write key: %w", classify(err))
	}
	return nil
}

// GetSource returns one source with its keys.
func (s *State) GetSource(ctx context.Context, id string) (store.Source, error) {
	srcs, err := s.querySources(ctx, "WHERE id = ?", id)
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

func (s *State) querySources(ctx context.Context, where string, args ...any) ([]store.Source, error) {
	rows, err := s.db.r.QueryContext(ctx, "SELECT id, name, channel, party, created_at, link_anonymous FROM sources "+
		where+" ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Source
	idx := map[string]int{}
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, err
		}
		idx[src.ID] = len(out)
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	krows, err := s.db.r.QueryContext(ctx, "SELECT key, source_id, created_at, revoked_at FROM write_keys "+
		where2(where)+" ORDER BY created_at, key", args...)
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

// where2 rewrites the sources filter for write_keys.
func where2(where string) string {
	if where == "" {
		return ""
	}
	return "WHERE source_id = ?"
}

type scanner interface{ Scan(dest ...any) error }

func scanSource(r scanner) (store.Source, error) {
	var (
		src     store.Source
		created int64
		link    sql.NullBool
	)
	if err := r.Scan(&src.ID, &src.Name, &src.Channel, &src.Party, &created, &link); err != nil {
		return src, err
	}
	src.CreatedAt = fromMicro(created)
	if link.Valid {
		v := link.Bool
		src.LinkAnonymous = &v
	}
	return src, nil
}

func scanKey(r scanner) (store.WriteKey, error) {
	var (
		k       store.WriteKey
		created int64
		revoked sql.NullInt64
	)
	if err := r.Scan(&k.Key, &k.SourceID, &created, &revoked); err != nil {
		return k, err
	}
	k.CreatedAt = fromMicro(created)
	if revoked.Valid {
		t := fromMicro(revoked.Int64)
		k.RevokedAt = &t
	}
	return k, nil
}

// AddWriteKey adds a key to an existing source.
func (s *State) AddWriteKey(ctx context.Context, k store.WriteKey) error {
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error { return insertKey(ctx, tx, k) })
	if err != nil {
		return fmt.Errorf("add write key to source %s: %w", k.SourceID, err)
	}
	return nil
}

// RevokeWriteKey marks a key of sourceID revoked at at.
func (s *State) RevokeWriteKey(ctx context.Context, sourceID, key string, at time.Time) error {
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE write_keys SET revoked_at = ? WHERE key = ? AND source_id = ?",
			micro(at), key, sourceID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("revoke write key of source %s: %w", sourceID, err)
	}
	return nil
}

// SourceByWriteKey returns the source of key and the key itself (RevokedAt
// set when revoked); ErrNotFound for an unknown key.
func (s *State) SourceByWriteKey(ctx context.Context, key string) (store.Source, store.WriteKey, error) {
	row := s.db.r.cachedQueryRow(ctx, `SELECT k.key, k.source_id, k.created_at, k.revoked_at,
		s.id, s.name, s.channel, s.party, s.created_at, s.link_anonymous
		FROM write_keys k JOIN sources s ON s.id = k.source_id WHERE k.key = ?`, key)
	var (
		k       store.WriteKey
		src     store.Source
		kc, sc  int64
		revoked sql.NullInt64
		link    sql.NullBool
	)
	err := row.Scan(&k.Key, &k.SourceID, &kc, &revoked, &src.ID, &src.Name, &src.Channel, &src.Party, &sc, &link)
	if errors.Is(err, sql.ErrNoRows) {
		return src, k, fmt.Errorf("look up write key: %w", store.ErrNotFound)
	}
	if err != nil {
		return src, k, fmt.Errorf("look up write key: %w", err)
	}
	k.CreatedAt = fromMicro(kc)
	if revoked.Valid {
		t := fromMicro(revoked.Int64)
		k.RevokedAt = &t
	}
	src.CreatedAt = fromMicro(sc)
	if link.Valid {
		v := link.Bool
		src.LinkAnonymous = &v
	}
	return src, k, nil
}
