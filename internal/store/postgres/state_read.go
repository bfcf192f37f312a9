package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

const profileColumns = "p.id, p.merged_into, p.first_seen, p.last_seen, p.event_count, p.sources, p.channels"

func scanProfile(r pgx.Row) (store.Profile, error) {
	var (
		p      store.Profile
		merged *string
	)
	if err := r.Scan(&p.ID, &merged, &p.FirstSeen, &p.LastSeen, &p.EventCount, &p.Sources, &p.Channels); err != nil {
		return p, err
	}
	if merged != nil {
		p.MergedInto = *merged
	}
	p.FirstSeen, p.LastSeen = p.FirstSeen.UTC(), p.LastSeen.UTC()
	p.Sources, p.Channels = nilIfEmpty(p.Sources), nilIfEmpty(p.Channels)
	return p, nil
}

// GetProfile returns one profile row; it does not follow MergedInto.
func (s *State) GetProfile(ctx context.Context, id string) (store.Profile, error) {
	p, err := scanProfile(s.db.pool.QueryRow(ctx, "SELECT "+profileColumns+" FROM profiles p WHERE p.id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
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
	rows, err := s.db.pool.Query(ctx, "SELECT "+profileColumns+" FROM profiles p WHERE p.id = ANY($1) ORDER BY p.id", ids)
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
	if err := s.db.pool.QueryRow(ctx, "SELECT count(*) FROM profiles WHERE merged_into IS NULL").Scan(&n); err != nil {
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
		rows pgx.Rows
		err  error
	)
	if path == "" {
		rows, err = s.db.pool.Query(ctx, "SELECT "+profileColumns+
			" FROM profiles p WHERE p.merged_into IS NULL AND p.id > $1 ORDER BY p.id LIMIT $2", after, limit)
	} else {
		v, cerr := compactJSON(value)
		if cerr != nil {
			return nil, fmt.Errorf("find profiles by trait %s: %w", path, cerr)
		}
		rows, err = s.db.pool.Query(ctx, "SELECT "+profileColumns+` FROM traits t JOIN profiles p ON p.id = t.profile_id
			WHERE t.path = $1 AND md5(t.value) = md5($2) AND t.value = $2 AND t.profile_id > $3 AND p.merged_into IS NULL
			ORDER BY t.profile_id LIMIT $4`, path, v, after, limit)
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

// ProfileIDs lists surviving profile ids after the cursor id, in id order.
func (s *State) ProfileIDs(ctx context.Context, after string, limit int) ([]string, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("list profile ids: %w", err)
	}
	rows, err := s.db.pool.Query(ctx, "SELECT id FROM profiles WHERE merged_into IS NULL AND id > $1 ORDER BY id LIMIT $2", after, limit)
	if err != nil {
		return nil, fmt.Errorf("list profile ids after %q: %w", after, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list profile ids after %q: %w", after, err)
	}
	return ids, nil
}

// MergedFrom returns every profile id merged into id, transitively, sorted.
func (s *State) MergedFrom(ctx context.Context, id string) ([]string, error) {
	ids, err := mergedFrom(ctx, s.db.pool, id)
	if err != nil {
		return nil, fmt.Errorf("merged from %s: %w", id, err)
	}
	return ids, nil
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func mergedFrom(ctx context.Context, q querier, id string) ([]string, error) {
	rows, err := q.Query(ctx, `WITH RECURSIVE m(id) AS (
			SELECT id FROM profiles WHERE merged_into = $1
			UNION SELECT p.id FROM profiles p JOIN m ON p.merged_into = m.id)
		SELECT id FROM m ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if len(ids) == 0 {
		ids = nil
	}
	return ids, err
}

// Merges lists the merges and refusals where profileID is winner or loser, oldest first.
func (s *State) Merges(ctx context.Context, profileID string) ([]store.Merge, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT id, winner, loser, refused, reason, dropped, via, message_id, time
		FROM merges WHERE winner = $1 OR loser = $1 ORDER BY id`, profileID)
	if err != nil {
		return nil, fmt.Errorf("list merges of %s: %w", profileID, err)
	}
	defer rows.Close()
	var out []store.Merge
	for rows.Next() {
		var (
			m            store.Merge
			dropped, via []byte
		)
		if err := rows.Scan(&m.ID, &m.Winner, &m.Loser, &m.Refused, &m.Reason, &dropped, &via, &m.MessageID, &m.Time); err != nil {
			return nil, fmt.Errorf("list merges of %s: %w", profileID, err)
		}
		m.Time = m.Time.UTC()
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
	rows, err := s.db.pool.Query(ctx,
		"SELECT profile_id, group_id, since FROM memberships WHERE profile_id = $1 ORDER BY group_id", profileID)
	if err != nil {
		return nil, fmt.Errorf("list accounts of %s: %w", profileID, err)
	}
	defer rows.Close()
	var out []store.Membership
	for rows.Next() {
		var m store.Membership
		if err := rows.Scan(&m.ProfileID, &m.GroupID, &m.Since); err != nil {
			return nil, fmt.Errorf("list accounts of %s: %w", profileID, err)
		}
		m.Since = m.Since.UTC()
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list accounts of %s: %w", profileID, err)
	}
	return out, nil
}

// LookupIdentities returns the identities of keys that exist, ordered by type and value.
func (s *State) LookupIdentities(ctx context.Context, keys []store.IdentityKey) ([]store.Identity, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	types, values := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		types[i], values[i] = k.Type, k.Value
	}
	rows, err := s.db.pool.Query(ctx, `SELECT DISTINCT i.type, i.value, i.profile_id, i.first_seen, i.last_seen
		FROM unnest($1::text[], $2::text[]) AS k(t, v) JOIN identities i ON i.type = k.t AND i.value = k.v
		ORDER BY i.type, i.value`, types, values)
	if err != nil {
		return nil, fmt.Errorf("look up %d identities: %w", len(keys), err)
	}
	out, err := scanIdentities(rows)
	if err != nil {
		return nil, fmt.Errorf("look up %d identities: %w", len(keys), err)
	}
	return out, nil
}

// ProfileIdentities returns the identities of one profile, ordered by type and value.
func (s *State) ProfileIdentities(ctx context.Context, profileID string) ([]store.Identity, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT type, value, profile_id, first_seen, last_seen
		FROM identities WHERE profile_id = $1 ORDER BY type, value`, profileID)
	if err != nil {
		return nil, fmt.Errorf("identities of %s: %w", profileID, err)
	}
	out, err := scanIdentities(rows)
	if err != nil {
		return nil, fmt.Errorf("identities of %s: %w", profileID, err)
	}
	return out, nil
}

func scanIdentities(rows pgx.Rows) ([]store.Identity, error) {
	defer rows.Close()
	var out []store.Identity
	for rows.Next() {
		var id store.Identity
		if err := rows.Scan(&id.Type, &id.Value, &id.ProfileID, &id.FirstSeen, &id.LastSeen); err != nil {
			return nil, err
		}
		id.FirstSeen, id.LastSeen = id.FirstSeen.UTC(), id.LastSeen.UTC()
		out = append(out, id)
	}
	return out, rows.Err()
}

// ProfileTraits returns the traits of a profile, ordered by path.
func (s *State) ProfileTraits(ctx context.Context, profileID string) ([]store.Trait, error) {
	out, err := s.traits(ctx, "SELECT path, value, time, source_id, computed FROM traits WHERE profile_id = $1 ORDER BY path", profileID)
	if err != nil {
		return nil, fmt.Errorf("traits of profile %s: %w", profileID, err)
	}
	return out, nil
}

// ProfilesTraits returns the traits of several profiles, ordered by
// profile id and path.
func (s *State) ProfilesTraits(ctx context.Context, profileIDs ...string) ([]store.ProfileTrait, error) {
	if len(profileIDs) == 0 {
		return nil, nil
	}
	out, err := s.profileTraits(ctx, `SELECT profile_id, path, value, time, source_id, computed FROM traits
		WHERE profile_id = ANY($1) ORDER BY profile_id, path`, profileIDs)
	if err != nil {
		return nil, fmt.Errorf("traits of %d profiles: %w", len(profileIDs), err)
	}
	return out, nil
}

// profileTraits runs q, whose columns are profile_id, path, value, time,
// source_id, computed.
func (s *State) profileTraits(ctx context.Context, q string, args ...any) ([]store.ProfileTrait, error) {
	rows, err := s.db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ProfileTrait
	for rows.Next() {
		var (
			t store.ProfileTrait
			v string
		)
		if err := rows.Scan(&t.ProfileID, &t.Path, &v, &t.Time, &t.SourceID, &t.Computed); err != nil {
			return nil, err
		}
		t.Value, t.Time = json.RawMessage(v), t.Time.UTC()
		out = append(out, t)
	}
	return out, rows.Err()
}

// ProfileTraitsBetween returns the traits at paths (nil: all) of the
// profiles with first <= id <= last, ordered by profile id and path.
func (s *State) ProfileTraitsBetween(ctx context.Context, first, last string, paths []string) ([]store.ProfileTrait, error) {
	out, err := s.profileTraits(ctx, `SELECT profile_id, path, value, time, source_id, computed FROM traits
		WHERE profile_id >= $1 AND profile_id <= $2 AND ($3::text[] IS NULL OR path = ANY($3)) ORDER BY profile_id, path`,
		first, last, paths)
	if err != nil {
		return nil, fmt.Errorf("traits of profiles %s to %s: %w", first, last, err)
	}
	return out, nil
}

// AccountTraits returns the traits of an account, ordered by path.
func (s *State) AccountTraits(ctx context.Context, groupID string) ([]store.Trait, error) {
	out, err := s.traits(ctx, "SELECT path, value, time, source_id, computed FROM account_traits WHERE group_id = $1 ORDER BY path", groupID)
	if err != nil {
		return nil, fmt.Errorf("traits of account %s: %w", groupID, err)
	}
	return out, nil
}

func (s *State) traits(ctx context.Context, q, id string) ([]store.Trait, error) {
	rows, err := s.db.pool.Query(ctx, q, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Trait
	for rows.Next() {
		var (
			t store.Trait
			v string
		)
		if err := rows.Scan(&t.Path, &v, &t.Time, &t.SourceID, &t.Computed); err != nil {
			return nil, err
		}
		t.Value, t.Time = json.RawMessage(v), t.Time.UTC()
		out = append(out, t)
	}
	return out, rows.Err()
}
