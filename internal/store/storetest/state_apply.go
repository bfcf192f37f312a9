package storetest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

func key(typ, value string) store.IdentityKey { return store.IdentityKey{Type: typ, Value: value} }

func ident(typ, value, profile string, first, last int) store.Identity {
	return store.Identity{IdentityKey: key(typ, value), ProfileID: profile, FirstSeen: at(first), LastSeen: at(last)}
}

func profile(id string, first, last int, count int64) store.Profile {
	return store.Profile{ID: id, FirstSeen: at(first), LastSeen: at(last), EventCount: count,
		Sources: []string{"app", "web"}, Channels: []string{"app", "web"}}
}

func ptrait(profileID, path, value string, n int) store.ProfileTrait {
	return store.ProfileTrait{ProfileID: profileID, Trait: store.Trait{Path: path, Value: json.RawMessage(value), Time: at(n), SourceID: "web"}}
}

func entry(profileID string, seq int64, n int, typ, name string) store.TimelineEntry {
	return store.TimelineEntry{ProfileID: profileID, Seq: seq, Timestamp: at(n), Type: typ, Event: name, SourceID: "web", Channel: "web"}
}

func mustApply(t *testing.T, s store.State, b *store.ProcessBatch) {
	t.Helper()
	require.NoError(t, s.Apply(t.Context(), b))
}

func runApply(t *testing.T, open Opener) {
	t.Run("writes every kind of row and the checkpoint", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		cp, err := s.Checkpoint(ctx)
		require.NoError(t, err)
		require.Zero(t, cp)
		p := profile("p1", 1, 2, 2)
		p.Sources, p.Channels = nil, nil
		computed := ptrait("p1", "ltv", "99.5", 2)
		computed.Computed = true
		mustApply(t, s, &store.ProcessBatch{
			Checkpoint: 2,
			Profiles:   []store.Profile{p},
			Identities: []store.Identity{ident("user_id", "u1", "p1", 1, 2), ident("email", "a@example.com", "p1", 1, 1)},
			Traits: []store.ProfileTrait{ptrait("p1", "name", `"Ada"`, 1), ptrait("p1", "address.city", `"Paris"`, 2),
				ptrait("p1", "tags", "[ \"a\",\n \"b\" ]", 1), ptrait("p1", "note", `"caf\u00e9 \"x\""`, 1), computed},
			Timeline:      []store.TimelineEntry{entry("p1", 1, 1, "identify", ""), entry("p1", 2, 2, "track", "Signed Up")},
			Accounts:      []store.Account{{GroupID: "g1", FirstSeen: at(2), LastSeen: at(2)}},
			AccountTraits: []store.AccountTrait{{GroupID: "g1", Trait: store.Trait{Path: "plan", Value: json.RawMessage(`{"tier": "pro"}`), Time: at(2), SourceID: "web"}}},
			Memberships:   []store.Membership{{ProfileID: "p1", GroupID: "g1", Since: at(2)}},
		})
		cp, err = s.Checkpoint(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(2), cp)

		got, err := s.GetProfile(ctx, "p1")
		require.NoError(t, err)
		require.Equal(t, p, got)
		_, err = s.GetProfile(ctx, "nosuch")
		require.ErrorIs(t, err, store.ErrNotFound)

		ids, err := s.ProfileIdentities(ctx, "p1")
		require.NoError(t, err)
		require.Equal(t, []store.Identity{ident("email", "a@example.com", "p1", 1, 1), ident("user_id", "u1", "p1", 1, 2)}, ids)

		traits, err := s.ProfileTraits(ctx, "p1")
		require.NoError(t, err)
		want := []store.Trait{ptrait("p1", "address.city", `"Paris"`, 2).Trait, computed.Trait, ptrait("p1", "name", `"Ada"`, 1).Trait,
			ptrait("p1", "note", `"caf\u00e9 \"x\""`, 1).Trait, ptrait("p1", "tags", `["a","b"]`, 1).Trait}
		require.Equal(t, want, traits, "values come back compacted, byte for byte")
		many, err := s.ProfilesTraits(ctx, "p1")
		require.NoError(t, err)
		require.Len(t, many, len(want))
		for i, pt := range many {
			require.Equal(t, store.ProfileTrait{ProfileID: "p1", Trait: want[i]}, pt)
		}

		acct, err := s.AccountTraits(ctx, "g1")
		require.NoError(t, err)
		require.Equal(t, []store.Trait{{Path: "plan", Value: json.RawMessage(`{"tier":"pro"}`), Time: at(2), SourceID: "web"}}, acct)
		mem, err := s.ProfileAccounts(ctx, "p1")
		require.NoError(t, err)
		require.Equal(t, []store.Membership{{ProfileID: "p1", GroupID: "g1", Since: at(2)}}, mem)

		tl, err := s.Timeline(ctx, store.TimelineQuery{ProfileIDs: []string{"p1"}, Limit: 10})
		require.NoError(t, err)
		require.Equal(t, []store.TimelineEntry{entry("p1", 2, 2, "track", "Signed Up"), entry("p1", 1, 1, "identify", "")}, tl)
		n, err := s.CountProfiles(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(1), n)
	})

	t.Run("upsert rules", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{
			Checkpoint:  1,
			Profiles:    []store.Profile{profile("p1", 5, 5, 1), profile("p2", 5, 5, 1)},
			Identities:  []store.Identity{ident("email", "a@example.com", "p1", 5, 5)},
			Traits:      []store.ProfileTrait{ptrait("p1", "name", `"Ada"`, 5), ptrait("p1", "plan", `"free"`, 5)},
			Timeline:    []store.TimelineEntry{entry("p1", 1, 5, "track", "A")},
			Accounts:    []store.Account{{GroupID: "g1", FirstSeen: at(5), LastSeen: at(5)}},
			Memberships: []store.Membership{{ProfileID: "p1", GroupID: "g1", Since: at(5)}},
		})
		p1 := profile("p1", 3, 9, 7)
		mustApply(t, s, &store.ProcessBatch{
			Checkpoint: 2,
			Profiles:   []store.Profile{p1},
			// Profile replaced, first_seen is the minimum, last_seen the maximum.
			Identities:   []store.Identity{ident("email", "a@example.com", "p2", 3, 4)},
			Traits:       []store.ProfileTrait{ptrait("p1", "name", `"Ada L."`, 9)},
			TraitDeletes: []store.ProfileTrait{{ProfileID: "p1", Trait: store.Trait{Path: "plan"}}, {ProfileID: "p1", Trait: store.Trait{Path: "absent"}}},
			Timeline:     []store.TimelineEntry{entry("p1", 1, 5, "track", "A")}, // replayed: no duplicate row
			Accounts:     []store.Account{{GroupID: "g1", FirstSeen: at(7), LastSeen: at(8)}},
			Memberships:  []store.Membership{{ProfileID: "p1", GroupID: "g1", Since: at(9)}}, // present: kept as is
		})
		got, err := s.GetProfile(ctx, "p1")
		require.NoError(t, err)
		require.Equal(t, p1, got)
		profiles, err := s.GetProfiles(ctx, "p2", "nosuch", "p1")
		require.NoError(t, err)
		require.Equal(t, []store.Profile{p1, profile("p2", 5, 5, 1)}, profiles, "existing ones, by id")
		profiles, err = s.GetProfiles(ctx)
		require.NoError(t, err)
		require.Empty(t, profiles)
		many, err := s.ProfilesTraits(ctx, "p2", "nosuch", "p1")
		require.NoError(t, err)
		require.Equal(t, []store.ProfileTrait{ptrait("p1", "name", `"Ada L."`, 9)}, many, "p2 has none")
		none, err := s.ProfilesTraits(ctx)
		require.NoError(t, err)
		require.Empty(t, none)
		ids, err := s.LookupIdentities(ctx, []store.IdentityKey{key("email", "a@example.com"), key("email", "nobody")})
		require.NoError(t, err)
		require.Equal(t, []store.Identity{ident("email", "a@example.com", "p2", 3, 5)}, ids)
		traits, err := s.ProfileTraits(ctx, "p1")
		require.NoError(t, err)
		require.Equal(t, []store.Trait{ptrait("p1", "name", `"Ada L."`, 9).Trait}, traits)
		tl, err := s.Timeline(ctx, store.TimelineQuery{ProfileIDs: []string{"p1"}, Limit: 10})
		require.NoError(t, err)
		require.Len(t, tl, 1)
		mem, err := s.ProfileAccounts(ctx, "p1")
		require.NoError(t, err)
		require.Equal(t, []store.Membership{{ProfileID: "p1", GroupID: "g1", Since: at(5)}}, mem)
	})

	t.Run("a failing batch writes nothing", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		err := s.Apply(ctx, &store.ProcessBatch{
			Checkpoint: 9,
			Profiles:   []store.Profile{profile("p1", 1, 1, 1)},
			Traits:     []store.ProfileTrait{ptrait("p1", "bad", `{"unterminated"`, 1)},
		})
		require.Error(t, err)
		_, err = s.GetProfile(ctx, "p1")
		require.ErrorIs(t, err, store.ErrNotFound)
		cp, err := s.Checkpoint(ctx)
		require.NoError(t, err)
		require.Zero(t, cp)
	})

	t.Run("LookupIdentities of many keys", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		var (
			ids  []store.Identity
			keys []store.IdentityKey
		)
		for i := range 700 {
			v := fmt.Sprintf("anon-%04d", i)
			if i%2 == 0 {
				ids = append(ids, ident("anonymous_id", v, fmt.Sprintf("p%d", i), 1, 1))
			}
			keys = append(keys, key("anonymous_id", v))
		}
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Identities: ids})
		got, err := s.LookupIdentities(t.Context(), keys)
		require.NoError(t, err)
		require.Equal(t, ids, got)
		got, err = s.LookupIdentities(t.Context(), nil)
		require.NoError(t, err)
		require.Empty(t, got)
	})

	t.Run("Reset keeps sources, keys, tombstones and audit", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		require.NoError(t, s.CreateSource(ctx, store.Source{ID: "web", Name: "Web", Channel: "web", Party: "first", CreatedAt: at(1),
			Keys: []store.WriteKey{{Key: "wk", SourceID: "web", CreatedAt: at(1)}}}))
		require.NoError(t, s.AddTombstone(ctx, "h1", at(1)))
		require.NoError(t, s.Audit(ctx, store.AuditEntry{Time: at(1), Action: "erase", Target: "h1"}))
		mustApply(t, s, &store.ProcessBatch{
			Checkpoint:    5,
			Merges:        []store.Merge{{Winner: "p1", Loser: "p2", MessageID: "m", Time: at(1)}},
			Profiles:      []store.Profile{profile("p1", 1, 1, 1)},
			Identities:    []store.Identity{ident("user_id", "u1", "p1", 1, 1)},
			Traits:        []store.ProfileTrait{ptrait("p1", "name", `"Ada"`, 1)},
			Timeline:      []store.TimelineEntry{entry("p1", 1, 1, "track", "A")},
			Accounts:      []store.Account{{GroupID: "g1", FirstSeen: at(1), LastSeen: at(1)}},
			AccountTraits: []store.AccountTrait{{GroupID: "g1", Trait: store.Trait{Path: "plan", Value: json.RawMessage(`"pro"`), Time: at(1)}}},
			Memberships:   []store.Membership{{ProfileID: "p1", GroupID: "g1", Since: at(1)}},
		})
		require.NoError(t, s.Reset(ctx))

		cp, err := s.Checkpoint(ctx)
		require.NoError(t, err)
		require.Zero(t, cp)
		_, err = s.GetProfile(ctx, "p1")
		require.ErrorIs(t, err, store.ErrNotFound)
		n, err := s.CountProfiles(ctx)
		require.NoError(t, err)
		require.Zero(t, n)
		for name, check := range map[string]func() (int, error){
			"identities": func() (int, error) {
				v, err := s.LookupIdentities(ctx, []store.IdentityKey{key("user_id", "u1")})
				return len(v), err
			},
			"traits": func() (int, error) { v, err := s.ProfileTraits(ctx, "p1"); return len(v), err },
			"timeline": func() (int, error) {
				v, err := s.Timeline(ctx, store.TimelineQuery{ProfileIDs: []string{"p1"}, Limit: 5})
				return len(v), err
			},
			"account traits": func() (int, error) { v, err := s.AccountTraits(ctx, "g1"); return len(v), err },
			"memberships":    func() (int, error) { v, err := s.ProfileAccounts(ctx, "p1"); return len(v), err },
			"merges":         func() (int, error) { v, err := s.Merges(ctx, "p1"); return len(v), err },
		} {
			got, err := check()
			require.NoError(t, err, name)
			require.Zero(t, got, name)
		}
		_, _, err = s.SourceByWriteKey(ctx, "wk")
		require.NoError(t, err)
		has, err := s.HasTombstone(ctx, []string{"h1"})
		require.NoError(t, err)
		require.True(t, has)
		audit, err := s.AuditLog(ctx, 10)
		require.NoError(t, err)
		require.Len(t, audit, 1)
	})
}
