package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

// runDeliveryProfiles tests what merges and erasure do to journey instances
// and the delivery ledger.
func runDeliveryProfiles(t *testing.T, open Opener) {
	t.Run("a merge re-points the loser's instances and sends first", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1,
			Profiles:  []store.Profile{profile("a", 1, 1, 1), profile("b", 1, 1, 1), profile("c", 1, 1, 1)},
			Instances: []store.JourneyInstance{instance("ia", "welcome", 1, "a", "start", 1), instance("ib1", "welcome", 1, "b", "start", 2), instance("ib2", "cart", 1, "b", "wait", 3), instance("ic", "cart", 1, "c", "wait", 3)},
			Sends:     []store.Send{send("ka", "a", 1), send("kb1", "b", 2), send("kb2", "b", 3), send("kc", "c", 3)}})

		// The batch's own rows are written after the re-point, as given: ib2
		// moves on as the winner's, ib3 names the loser and keeps it, and the
		// replayed kb1 stays the (re-pointed) existing send.
		ib2 := instance("ib2", "cart", 1, "a", "email", 3)
		ib3 := instance("ib3", "welcome", 1, "b", "start", 4)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Merges: []store.Merge{{Winner: "a", Loser: "b", Time: at(4)}},
			Instances: []store.JourneyInstance{ib2, ib3}, Sends: []store.Send{send("kb1", "b", 2), send("ka2", "a", 4)}})

		got, err := s.GetInstance(ctx, "ib1")
		require.NoError(t, err)
		require.Equal(t, instance("ib1", "welcome", 1, "a", "start", 2), got, "re-pointed")
		got, err = s.GetInstance(ctx, "ib2")
		require.NoError(t, err)
		require.Equal(t, ib2, got)
		got, err = s.GetInstance(ctx, "ib3")
		require.NoError(t, err)
		require.Equal(t, ib3, got, "written after the re-point")
		ins, err := s.ProfileInstances(ctx, "a")
		require.NoError(t, err)
		require.Equal(t, []string{"ib2", "ib1", "ia"}, instanceIDs(ins))
		ins, err = s.ProfilesInstances(ctx, "c", "nosuch", "b", "a")
		require.NoError(t, err)
		require.Equal(t, []string{"ib2", "ib1", "ia", "ib3", "ic"}, instanceIDs(ins), "by profile id, then as ProfileInstances")
		ins, err = s.ProfilesInstances(ctx)
		require.NoError(t, err)
		require.Empty(t, ins)

		sends, err := s.ProfileSends(ctx, "a", at(0), 10)
		require.NoError(t, err)
		require.Equal(t, []string{"ka2", "kb2", "kb1", "ka"}, sendKeys(sends))
		sends, err = s.ProfileSends(ctx, "b", at(0), 10)
		require.NoError(t, err)
		require.Empty(t, sends, "the replayed kb1 was not inserted again for the loser")

		mustApply(t, s, &store.ProcessBatch{Checkpoint: 3, Merges: []store.Merge{{Winner: "c", Loser: "a", Refused: true, Reason: "limit", Time: at(5)}}})
		ins, err = s.ProfileInstances(ctx, "c")
		require.NoError(t, err)
		require.Equal(t, []string{"ic"}, instanceIDs(ins), "a refused merge re-points nothing")
		sends, err = s.ProfileSends(ctx, "c", at(0), 10)
		require.NoError(t, err)
		require.Equal(t, []string{"kc"}, sendKeys(sends))
	})

	t.Run("a merge folds the loser's subscriptions: an unsubscribe wins", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Profiles: []store.Profile{profile("a", 1, 1, 1), profile("b", 1, 1, 1)}})
		sub := func(p, g, state string, n int) store.Subscription {
			return store.Subscription{ProfileID: p, GroupID: g, State: state, UpdatedAt: at(n), Source: "src-" + p}
		}
		for _, x := range []store.Subscription{
			sub("a", "news", "subscribed", 1), sub("b", "news", "unsubscribed", 2), // the loser's unsubscribe wins
			sub("a", "sms", "unsubscribed", 3), sub("b", "sms", "subscribed", 4), // the winner's unsubscribe stays
			sub("b", "push", "subscribed", 5), // only the loser has it: it moves
			sub("a", "tips", "subscribed", 6), // only the winner has it: it stays
		} {
			require.NoError(t, s.SetSubscription(ctx, x))
		}
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Merges: []store.Merge{{Winner: "a", Loser: "b", Time: at(7)}}})
		got, err := s.Subscriptions(ctx, "a")
		require.NoError(t, err)
		require.Equal(t, []store.Subscription{
			{ProfileID: "a", GroupID: "news", State: "unsubscribed", UpdatedAt: at(2), Source: "src-b"},
			{ProfileID: "a", GroupID: "push", State: "subscribed", UpdatedAt: at(5), Source: "src-b"},
			{ProfileID: "a", GroupID: "sms", State: "unsubscribed", UpdatedAt: at(4), Source: "src-a"},
			{ProfileID: "a", GroupID: "tips", State: "subscribed", UpdatedAt: at(6), Source: "src-a"},
		}, got)
		got, err = s.Subscriptions(ctx, "b")
		require.NoError(t, err)
		require.Empty(t, got)
	})

	t.Run("EraseProfile removes instances, sends, engagements and subscriptions", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1,
			Profiles:  []store.Profile{profile("a", 1, 1, 1), profile("b", 1, 1, 1), profile("c", 1, 1, 1)},
			Instances: []store.JourneyInstance{instance("ia", "welcome", 1, "a", "start", 1), instance("ic", "welcome", 1, "c", "start", 1)},
			Sends:     []store.Send{send("ka", "a", 1), send("kc", "c", 1)}})
		// b is merged into a after its instance and send were written, so they
		// are a's now; b's subscription stays under b's id and goes with it.
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Merges: []store.Merge{{Winner: "a", Loser: "b", Time: at(2)}},
			Instances: []store.JourneyInstance{instance("ib", "cart", 1, "a", "start", 2)}, Sends: []store.Send{send("kb", "a", 2)}})
		for _, e := range []store.Engagement{{Key: "ka", Type: "opened", At: at(3)}, {Key: "kb", Type: "clicked", At: at(3)},
			{Key: "kc", Type: "opened", At: at(3)}} {
			require.NoError(t, s.AddEngagement(ctx, e))
		}
		for _, p := range []string{"a", "b", "c"} {
			require.NoError(t, s.SetSubscription(ctx, store.Subscription{ProfileID: p, GroupID: "news", State: "subscribed", UpdatedAt: at(3)}))
		}
		sup := store.Suppression{Channel: "email", Address: "a@example.com", Reason: "complaint", CreatedAt: at(3)}
		require.NoError(t, s.AddSuppression(ctx, sup))

		require.NoError(t, s.EraseProfile(ctx, []string{"a"}))
		for _, id := range []string{"ia", "ib"} {
			_, err := s.GetInstance(ctx, id)
			require.ErrorIs(t, err, store.ErrNotFound, id)
		}
		for _, k := range []string{"ka", "kb"} {
			_, err := s.GetSend(ctx, k)
			require.ErrorIs(t, err, store.ErrNotFound, k)
			es, err := s.Engagements(ctx, k)
			require.NoError(t, err)
			require.Empty(t, es, k)
		}
		for _, p := range []string{"a", "b"} {
			subs, err := s.Subscriptions(ctx, p)
			require.NoError(t, err)
			require.Empty(t, subs, p)
			ins, err := s.ProfileInstances(ctx, p)
			require.NoError(t, err)
			require.Empty(t, ins, p)
		}

		// c is untouched, and so is the suppression list (keyed by address).
		_, err := s.GetInstance(ctx, "ic")
		require.NoError(t, err)
		got, err := s.GetSend(ctx, "kc")
		require.NoError(t, err)
		require.Equal(t, send("kc", "c", 1), got)
		es, err := s.Engagements(ctx, "kc")
		require.NoError(t, err)
		require.Len(t, es, 1)
		subs, err := s.Subscriptions(ctx, "c")
		require.NoError(t, err)
		require.Len(t, subs, 1)
		gotSup, err := s.Suppressed(ctx, "email", "a@example.com")
		require.NoError(t, err)
		require.Equal(t, sup, gotSup)
	})
}
