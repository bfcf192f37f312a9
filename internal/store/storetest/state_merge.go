package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

// twoProfiles applies a winner "a" and a loser "b", each with identities,
// traits, timeline and memberships.
func twoProfiles(t *testing.T, s store.State) {
	t.Helper()
	mustApply(t, s, &store.ProcessBatch{
		Checkpoint: 4,
		Profiles:   []store.Profile{profile("a", 1, 3, 2), profile("b", 2, 4, 2)},
		Identities: []store.Identity{ident("user_id", "u-a", "a", 1, 3), ident("anonymous_id", "anon-b", "b", 2, 4),
			ident("email", "b@example.com", "b", 2, 4)},
		Traits: []store.ProfileTrait{ptrait("a", "name", `"Ada"`, 1), ptrait("b", "name", `"Bea"`, 2),
			ptrait("b", "plan", `"pro"`, 2)},
		Timeline: []store.TimelineEntry{entry("a", 1, 1, "identify", ""), entry("b", 2, 2, "page", "Home"),
			entry("a", 3, 3, "track", "Viewed"), entry("b", 4, 4, "track", "Bought")},
		Accounts: []store.Account{{GroupID: "g1", FirstSeen: at(1), LastSeen: at(1)}, {GroupID: "g2", FirstSeen: at(2), LastSeen: at(2)}},
		Memberships: []store.Membership{{ProfileID: "a", GroupID: "g1", Since: at(3)}, {ProfileID: "b", GroupID: "g1", Since: at(1)},
			{ProfileID: "b", GroupID: "g2", Since: at(2)}},
	})
}

func runMerge(t *testing.T, open Opener) {
	t.Run("re-points identities, timeline and memberships, drops the loser's traits", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		twoProfiles(t, s)
		merge := store.Merge{Winner: "a", Loser: "b", Via: []store.IdentityKey{key("user_id", "u-a"), key("anonymous_id", "anon-b")},
			MessageID: "m5", Time: at(5)}
		winner := profile("a", 1, 5, 5)
		mustApply(t, s, &store.ProcessBatch{
			Checkpoint: 5,
			Merges:     []store.Merge{merge},
			Profiles:   []store.Profile{winner},
			Traits:     []store.ProfileTrait{ptrait("a", "plan", `"pro"`, 5)},
			Timeline:   []store.TimelineEntry{entry("a", 5, 5, "alias", "")},
		})

		ids, err := s.ProfileIdentities(ctx, "a")
		require.NoError(t, err)
		require.Equal(t, []store.Identity{ident("anonymous_id", "anon-b", "a", 2, 4), ident("email", "b@example.com", "a", 2, 4),
			ident("user_id", "u-a", "a", 1, 3)}, ids)
		ids, err = s.ProfileIdentities(ctx, "b")
		require.NoError(t, err)
		require.Empty(t, ids)

		tl, err := s.Timeline(ctx, store.TimelineQuery{ProfileIDs: []string{"a"}, Limit: 10})
		require.NoError(t, err)
		require.Equal(t, []store.TimelineEntry{entry("a", 5, 5, "alias", ""), entry("a", 4, 4, "track", "Bought"),
			entry("a", 3, 3, "track", "Viewed"), entry("a", 2, 2, "page", "Home"), entry("a", 1, 1, "identify", "")}, tl)

		mem, err := s.ProfileAccounts(ctx, "a")
		require.NoError(t, err)
		require.Equal(t, []store.Membership{{ProfileID: "a", GroupID: "g1", Since: at(1)}, {ProfileID: "a", GroupID: "g2", Since: at(2)}}, mem,
			"a shared account keeps the earlier since")
		mem, err = s.ProfileAccounts(ctx, "b")
		require.NoError(t, err)
		require.Empty(t, mem)

		traits, err := s.ProfileTraits(ctx, "b")
		require.NoError(t, err)
		require.Empty(t, traits)
		traits, err = s.ProfileTraits(ctx, "a")
		require.NoError(t, err)
		require.Equal(t, []store.Trait{ptrait("a", "name", `"Ada"`, 1).Trait, ptrait("a", "plan", `"pro"`, 5).Trait}, traits)

		loser, err := s.GetProfile(ctx, "b")
		require.NoError(t, err)
		require.Equal(t, "a", loser.MergedInto)
		got, err := s.GetProfile(ctx, "a")
		require.NoError(t, err)
		require.Equal(t, winner, got)
		n, err := s.CountProfiles(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(1), n)
		from, err := s.MergedFrom(ctx, "a")
		require.NoError(t, err)
		require.Equal(t, []string{"b"}, from)

		for _, id := range []string{"a", "b"} {
			ms, err := s.Merges(ctx, id)
			require.NoError(t, err)
			require.Len(t, ms, 1)
			require.NotZero(t, ms[0].ID)
			merge.ID = ms[0].ID
			require.Equal(t, merge, ms[0])
		}
	})

	t.Run("a refused merge is recorded only", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		twoProfiles(t, s)
		refusal := store.Merge{Winner: "a", Loser: "b", Refused: true, Reason: "max_identities",
			Dropped: []store.IdentityKey{key("email", "b@example.com")}, MessageID: "m5", Time: at(5)}
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 5, Merges: []store.Merge{refusal}})
		ids, err := s.ProfileIdentities(ctx, "b")
		require.NoError(t, err)
		require.Len(t, ids, 2)
		traits, err := s.ProfileTraits(ctx, "b")
		require.NoError(t, err)
		require.Len(t, traits, 2)
		loser, err := s.GetProfile(ctx, "b")
		require.NoError(t, err)
		require.Empty(t, loser.MergedInto)
		from, err := s.MergedFrom(ctx, "a")
		require.NoError(t, err)
		require.Empty(t, from)
		ms, err := s.Merges(ctx, "b")
		require.NoError(t, err)
		require.Len(t, ms, 1)
		refusal.ID = ms[0].ID
		require.Equal(t, refusal, ms[0])
	})

	t.Run("MergedFrom is transitive", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1,
			Profiles: []store.Profile{profile("a", 1, 1, 1), profile("b", 1, 1, 1), profile("c", 1, 1, 1), profile("d", 1, 1, 1), profile("x", 1, 1, 1)}})
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Merges: []store.Merge{{Winner: "b", Loser: "c", Time: at(2)}, {Winner: "c", Loser: "d", Time: at(2)}}})
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 3, Merges: []store.Merge{{Winner: "a", Loser: "b", Time: at(3)}}})
		from, err := s.MergedFrom(ctx, "a")
		require.NoError(t, err)
		require.Equal(t, []string{"b", "c", "d"}, from)
		from, err = s.MergedFrom(ctx, "c")
		require.NoError(t, err)
		require.Equal(t, []string{"d"}, from)
		from, err = s.MergedFrom(ctx, "x")
		require.NoError(t, err)
		require.Empty(t, from)
		ms, err := s.Merges(ctx, "b")
		require.NoError(t, err)
		require.Len(t, ms, 2)
		require.Less(t, ms[0].ID, ms[1].ID, "oldest first")
	})

	t.Run("a merge of a profile into itself is refused", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		err := s.Apply(t.Context(), &store.ProcessBatch{Checkpoint: 1, Merges: []store.Merge{{Winner: "a", Loser: "a"}}})
		require.Error(t, err)
	})
}
