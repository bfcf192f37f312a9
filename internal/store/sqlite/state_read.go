package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/cairn-cdp/cairn/internal/store"
)

const profileColumns = "id, merged_into, first_seen, last_seen, event_count, sources, channels"

func scanProfile(r scanner) (store.Profile, error) {
	var (
		p           store.Profile
		merged      sql.NullString
		first, last int64
		srcs, chans string
	)
	if err := r.Scan(&p.ID, &merged, &first, &last, &p.EventCount, &srcs, &chans); err != nil {
		return p, err
	}
	p.MergedInto = merged.String
	p.FirstSeen, p.LastSeen = fromMicro(first), fromMicro(last)
	var err error
	if p.Sources, err = decodeStrings(srcs); err != nil {
		return p, err
	}
	p.Channels, err = decodeStrings(chans)
	return p, err
}

// GetProfile returns one profile row; it does not follow MergedInto.
func (s *State) GetProfile(ctx context.Context, id string) (store.Profile, error) {
	p, err := scanProfile(s.db.r.cachedQueryRow(ctx, "SELECT "+profileColumns+" FROM profiles WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("get profile %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("get profile %s: %w", id, err)
	}
	return p, nil
}

// GetProfiles returns the profiles of ids that exist, ordered by id.
func (s *State) GetProfiles(ctx context.Context, ids ...string) ([]store.Profile, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.db.r.cachedQuery(ctx, "SELECT "+profileColumns+" FROM profiles WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", jsonIDs(ids))
	if err != nil {
		return nil, fmt.Errorf("get %d profiles: %w", len(ids), err)
	}
	defer rows.Close()
	var out []store.Profile
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			return nil, fmt.Errorf("get %d profiles: %w", len(ids), err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("get %d profiles: %w", len(ids), err)
	}
	return out, nil
}

// CountProfiles counts surviving (not merged-away) profiles.
func (s *State) CountProfiles(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.r.cachedQueryRow(ctx, "SELECT count(*) FROM profiles WHERE merged_into IS NULL").Scan(&n); err != nil {
		return 0, fmt.Errorf("count profiles: %w", err)
	}
	return n, nil
}

// FindProfiles lists surviving profiles ordered by id after the cursor id;
// when path is set, only those whose trait at path equals value (compared
// as compacted JSON).
func (s *State) FindProfiles(ctx context.Context, path string, value json.RawMessage, after string, limit int) ([]store.Profile, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("find profiles: %w", err)
	}
	var (
		rows *sql.Rows
		err  error
	)
	if path == "" {
		rows, err = s.db.r.cachedQuery(ctx, "SELECT "+profileColumns+
			" FROM profiles WHERE merged_into IS NULL AND id > ? ORDER BY id LIMIT ?", after, limit)
	} else {
		v, cerr := compactJSON(value)
		if cerr != nil {
			return nil, fmt.Errorf("find profiles by trait %s: %w", path, cerr)
		}
		rows, err = s.db.r.cachedQuery(ctx, `SELECT p.id, p.merged_into, p.first_seen, p.last_seen, p.event_count,
			p.sources, p.channels FROM traits t JOIN profiles p ON p.id = t.profile_id
			WHERE t.path = ? AND t.value = ? AND t.profile_id > ? AND p.merged_into IS NULL
			ORDER BY t.profile_id LIMIT ?`, path, v, after, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("find profiles: %w", err)
	}
	defer rows.Close()
	var out []store.Profile
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			return nil, fmt.Errorf("find profiles: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find profiles: %w", err)
	}
	return out, nil
}

// ProfileIDs lists surviving profile ids after the cursor id, in id order
// (the profiles_alive index alone).
func (s *State) ProfileIDs(ctx context.Context, after string, limit int) ([]string, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("list profile ids: %w", err)
	}
	ids, err := s.rawStrings(ctx, "SELECT id FROM profiles WHERE merged_into IS NULL AND id > ? ORDER BY id LIMIT ?", after, limit)
	if err != nil {
		return nil, fmt.Errorf("list profile ids after %q: %w", after, err)
	}
	return ids, nil
}

// MergedFrom returns every profile id merged into id, transitively, sorted.
func (s *State) MergedFrom(ctx context.Context, id string) ([]string, error) {
	ids, err := queryStrings(ctx, cachedQuerier{s.db.r}, `WITH RECURSIVE m(id) AS (
			SELECT id FROM profiles WHERE merged_into = ?
			UNION SELECT p.id FROM profiles p JOIN m ON p.merged_into = m.id)
		SELECT id FROM m ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("merged from %s: %w", id, err)
	}
	return ids, nil
}

// cachedQuerier runs queries as prepared statements cached on the pool
// (the hot reads: MergedFrom runs for every timer and journey session).
type cachedQuerier struct{ r *readDB }

func (c cachedQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.r.cachedQuery(ctx, query, args...)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Merges lists the merges and refusals where profileID is winner or loser, oldest first.
func (s *State) Merges(ctx context.Context, profileID string) ([]store.Merge, error) {
	rows, err := s.db.r.cachedQuery(ctx, `SELECT id, winner, loser, refused, reason, dropped, via, message_id, time
		FROM merges WHERE winner = ?1 OR loser = ?1 ORDER BY id`, profileID)
	if err != nil {
		return nil, fmt.Errorf("list merges of %s: %w", profileID, err)
	}
	defer rows.Close()
	var out []store.Merge
	for rows.Next() {
		var (
			m            store.Merge
			dropped, via string
			at           int64
		)
		if err := rows.Scan(&m.ID, &m.Winner, &m.Loser, &m.Refused, &m.Reason, &dropped, &via, &m.MessageID, &at); err != nil {
			return nil, fmt.Errorf("list merges of %s: %w", profileID, err)
		}
		m.Time = fromMicro(at)
		if m.Dropped, err = decodeKeys(dropped); err != nil {
			return nil, fmt.Errorf("list merges of %s: %w", profileID, err)
		}
		if m.Via, err = decodeKeys(via); err != nil {
			return nil, fmt.Errorf("list merges of %s: %w", profileID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list merges of %s: %w", profileID, err)
	}
	return out, nil
}

// ProfileAccounts lists the memberships of a profile, ordered by group id.
func (s *State) ProfileAccounts(ctx context.Context, profileID string) ([]store.Membership, error) {
	rows, err := s.db.r.cachedQuery(ctx,
		"SELECT profile_id, group_id, since FROM memberships WHERE profile_id = ? ORDER BY group_id", profileID)
	if err != nil {
		return nil, fmt.Errorf("list accounts of %s: %w", profileID, err)
	}
	defer rows.Close()
	var out []store.Membership
	for rows.Next() {
		var (
			m     store.Membership
			since int64
		)
		if err := rows.Scan(&m.ProfileID, &m.GroupID, &since); err != nil {
			return nil, fmt.Errorf("list accounts of %s: %w", profileID, err)
		}
		m.Since = fromMicro(since)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list accounts of %s: %w", profileID, err)
	}
	return out, nil
}

// sortIdentities orders identities by type, then value.
func sortIdentities(ids []store.Identity) {
	slices.SortFunc(ids, func(a, b store.Identity) int {
		if a.Type != b.Type {
			if a.Type < b.Type {
				return -1
			}
			return 1
		}
		switch {
		case a.Value < b.Value:
			return -1
		case a.Value > b.Value:
			return 1
		}
		return 0
	})
}
