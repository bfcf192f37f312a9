package storetest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

func runPrivacy(t *testing.T, open Opener) {
	t.Run("EraseProfile removes the profile and what was merged into it", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		twoProfiles(t, s)
		mustApply(t, s, &store.ProcessBatch{
			Checkpoint:    6,
			Merges:        []store.Merge{{Winner: "a", Loser: "b", MessageID: "m5", Time: at(5)}},
			Profiles:      []store.Profile{profile("c", 6, 6, 1)},
			Identities:    []store.Identity{ident("user_id", "u-c", "c", 6, 6)},
			Traits:        []store.ProfileTrait{ptrait("c", "name", `"Cy"`, 6)},
			Timeline:      []store.TimelineEntry{entry("c", 6, 6, "track", "X")},
			AccountTraits: []store.AccountTrait{{GroupID: "g1", Trait: store.Trait{Path: "plan", Value: json.RawMessage(`"pro"`), Time: at(6)}}},
			Memberships:   []store.Membership{{ProfileID: "c", GroupID: "g1", Since: at(6)}},
		})
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 7, Merges: []store.Merge{{Winner: "c", Loser: "a", Refused: true, Reason: "limit", Time: at(7)}}})

		require.NoError(t, s.EraseProfile(ctx, []string{"a"}))

		for _, id := range []string{"a", "b"} {
			_, err := s.GetProfile(ctx, id)
			require.ErrorIs(t, err, store.ErrNotFound, id)
			ids, err := s.ProfileIdentities(ctx, id)
			require.NoError(t, err)
			require.Empty(t, ids, id)
			traits, err := s.ProfileTraits(ctx, id)
			require.NoError(t, err)
			require.Empty(t, traits, id)
			tl, err := s.Timeline(ctx, store.TimelineQuery{ProfileIDs: []string{id}, Limit: 10})
			require.NoError(t, err)
			require.Empty(t, tl, id)
			mem, err := s.ProfileAccounts(ctx, id)
			require.NoError(t, err)
			require.Empty(t, mem, id)
			ms, err := s.Merges(ctx, id)
			require.NoError(t, err)
			require.Empty(t, ms, id)
		}
		found, err := s.LookupIdentities(ctx, []store.IdentityKey{key("email", "b@example.com"), key("user_id", "u-a"), key("user_id", "u-c")})
		require.NoError(t, err)
		require.Equal(t, []store.Identity{ident("user_id", "u-c", "c", 6, 6)}, found)
		// The other profile and the accounts are untouched.
		_, err = s.GetProfile(ctx, "c")
		require.NoError(t, err)
		mem, err := s.ProfileAccounts(ctx, "c")
		require.NoError(t, err)
		require.Len(t, mem, 1)
		acct, err := s.AccountTraits(ctx, "g1")
		require.NoError(t, err)
		require.Len(t, acct, 1)
		n, err := s.CountProfiles(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(1), n)
		require.NoError(t, s.EraseProfile(ctx, []string{"nosuch"}), "erasing what is gone is a no-op")
	})

	t.Run("tombstones", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		has, err := s.HasTombstone(ctx, []string{"h1", "h2"})
		require.NoError(t, err)
		require.False(t, has)
		all, err := s.Tombstones(ctx)
		require.NoError(t, err)
		require.Empty(t, all)
		require.NoError(t, s.AddTombstone(ctx, "h2", at(1)))
		require.NoError(t, s.AddTombstone(ctx, "h2", at(2)), "adding twice is a no-op")
		require.NoError(t, s.AddTombstone(ctx, "h0", at(3)))
		all, err = s.Tombstones(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"h0", "h2"}, all)
		for _, tc := range []struct {
			hashes []string
			want   bool
		}{{[]string{"h1", "h2"}, true}, {[]string{"h2"}, true}, {[]string{"h1", "h3"}, false}, {nil, false}} {
			has, err := s.HasTombstone(ctx, tc.hashes)
			require.NoError(t, err)
			require.Equal(t, tc.want, has, "%v", tc.hashes)
		}
	})

	t.Run("audit log newest first", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		entries := []store.AuditEntry{
			{Time: at(1), Action: "create_source", Target: "web"},
			{Time: at(2), Action: "rotate_key", Target: "web", Detail: "wk-1 revoked"},
			{Time: at(3), Action: "erase", Target: "sha256:ab12"},
		}
		for _, e := range entries {
			require.NoError(t, s.Audit(ctx, e))
		}
		got, err := s.AuditLog(ctx, 2)
		require.NoError(t, err)
		require.Len(t, got, 2)
		for i, e := range got {
			want := entries[2-i]
			want.ID = e.ID
			require.Equal(t, want, e)
		}
		require.Greater(t, got[0].ID, got[1].ID)
		all, err := s.AuditLog(ctx, 10)
		require.NoError(t, err)
		require.Len(t, all, 3)
	})
}
