package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/cairn-cdp/cairn/internal/store"
)

// LookupIdentities returns the identities of keys that exist, ordered by type and value.
func (s *State) LookupIdentities(ctx context.Context, keys []store.IdentityKey) ([]store.Identity, error) {
	var out []store.Identity
	for chunk := range slices.Chunk(keys, maxParams/2) {
		args := make([]any, 0, 2*len(chunk))
		q := make([]byte, 0, 128+8*len(chunk))
		// A join on VALUES probes the primary key; "(type, value) IN (VALUES ...)" may scan.
		q = append(q, "SELECT i.type, i.value, i.profile_id, i.first_seen, i.last_seen FROM (VALUES "...)
		for i, k := range chunk {
			if i > 0 {
				q = append(q, ',')
			}
			q = append(q, "(?,?)"...)
			args = append(args, k.Type, k.Value)
		}
		q = append(q, ") AS k JOIN identities i ON i.type = k.column1 AND i.value = k.column2"...)
		rows, err := s.db.r.QueryContext(ctx, string(q), args...)
		if err != nil {
			return nil, fmt.Errorf("look up %d identities: %w", len(keys), err)
		}
		if out, err = scanIdentities(rows, out); err != nil {
			return nil, fmt.Errorf("look up %d identities: %w", len(keys), err)
		}
	}
	sortIdentities(out)
	return out, nil
}

// ProfileIdentities returns the identities of one profile, ordered by type and value.
func (s *State) ProfileIdentities(ctx context.Context, profileID string) ([]store.Identity, error) {
	rows, err := s.db.r.cachedQuery(ctx, `SELECT type, value, profile_id, first_seen, last_seen
		FROM identities WHERE profile_id = ? ORDER BY type, value`, profileID)
	if err != nil {
		return nil, fmt.Errorf("identities of %s: %w", profileID, err)
	}
	out, err := scanIdentities(rows, nil)
	if err != nil {
		return nil, fmt.Errorf("identities of %s: %w", profileID, err)
	}
	return out, nil
}

func scanIdentities(rows *sql.Rows, out []store.Identity) ([]store.Identity, error) {
	defer rows.Close()
	for rows.Next() {
		var (
			id          store.Identity
			first, last int64
		)
		if err := rows.Scan(&id.Type, &id.Value, &id.ProfileID, &first, &last); err != nil {
			return out, err
		}
		id.FirstSeen, id.LastSeen = fromMicro(first), fromMicro(last)
		out = append(out, id)
	}
	return out, rows.Err()
}

// ProfileTraits returns the traits of a profile, ordered by path.
func (s *State) ProfileTraits(ctx context.Context, profileID string) ([]store.Trait, error) {
	out, err := s.traits(ctx, "SELECT path, value, time, source_id, computed FROM traits WHERE profile_id = ? ORDER BY path", profileID)
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
		WHERE profile_id IN (SELECT value FROM json_each(?)) ORDER BY profile_id, path`, jsonIDs(profileIDs))
	if err != nil {
		return nil, fmt.Errorf("traits of %d profiles: %w", len(profileIDs), err)
	}
	return out, nil
}

// profileTraits runs q, whose columns are profile_id, path, value, time,
// source_id, computed.
func (s *State) profileTraits(ctx context.Context, q string, args ...any) ([]store.ProfileTrait, error) {
	rows, err := s.db.r.cachedQuery(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ProfileTrait
	for rows.Next() {
		var (
			t  store.ProfileTrait
			at int64
			v  []byte
		)
		if err := rows.Scan(&t.ProfileID, &t.Path, &v, &at, &t.SourceID, &t.Computed); err != nil {
			return nil, err
		}
		t.Value, t.Time = v, fromMicro(at)
		out = append(out, t)
	}
	return out, rows.Err()
}

// The range reads of ProfileTraitsBetween. "+path": a range of the key,
// never a walk of traits_path_value over every profile holding the path,
// which the planner picks without statistics (TestRangeReadPlans).
const (
	traitsBetween = `SELECT profile_id, path, value, time, source_id, computed FROM traits
		WHERE profile_id >= ? AND profile_id <= ? ORDER BY profile_id, path`
	traitsBetweenAt = `SELECT profile_id, path, value, time, source_id, computed FROM traits
		WHERE profile_id >= ? AND profile_id <= ? AND +path IN (SELECT value FROM json_each(?)) ORDER BY profile_id, path`
)

// ProfileTraitsBetween returns the traits at paths (nil: all) of the
// profiles with first <= id <= last, in key order: one range of the
// primary key instead of a seek per profile.
func (s *State) ProfileTraitsBetween(ctx context.Context, first, last string, paths []string) ([]store.ProfileTrait, error) {
	q, args := traitsBetween, []any{first, last}
	if paths != nil {
		q, args = traitsBetweenAt, append(args, jsonIDs(paths))
	}
	out, err := s.traitsRange(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("traits of profiles %s to %s: %w", first, last, err)
	}
	return out, nil
}

// AccountTraits returns the traits of an account, ordered by path.
func (s *State) AccountTraits(ctx context.Context, groupID string) ([]store.Trait, error) {
	out, err := s.traits(ctx, "SELECT path, value, time, source_id, computed FROM account_traits WHERE group_id = ? ORDER BY path", groupID)
	if err != nil {
		return nil, fmt.Errorf("traits of account %s: %w", groupID, err)
	}
	return out, nil
}

func (s *State) traits(ctx context.Context, q, id string) ([]store.Trait, error) {
	rows, err := s.db.r.cachedQuery(ctx, q, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Trait
	for rows.Next() {
		var (
			t  store.Trait
			at int64
			v  []byte
		)
		if err := rows.Scan(&t.Path, &v, &at, &t.SourceID, &t.Computed); err != nil {
			return nil, err
		}
		t.Value, t.Time = v, fromMicro(at)
		out = append(out, t)
	}
	return out, rows.Err()
}
