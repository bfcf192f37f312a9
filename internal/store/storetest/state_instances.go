package storetest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

// instance is an active instance of journey j version v entered at at(n).
func instance(id, j string, v int, profile, node string, n int) store.JourneyInstance {
	return store.JourneyInstance{ID: id, JourneyID: j, Version: v, ProfileID: profile, Node: node,
		Status: store.InstanceActive, EnteredAt: at(n), UpdatedAt: at(n)}
}

// exited returns in exited at at(n) for reason.
func exited(in store.JourneyInstance, reason string, n int) store.JourneyInstance {
	ex := at(n)
	in.Status, in.ExitReason, in.ExitedAt, in.UpdatedAt = store.InstanceExited, reason, &ex, ex
	return in
}

func instanceIDs(ins []store.JourneyInstance) []string {
	var ids []string
	for _, in := range ins {
		ids = append(ids, in.ID)
	}
	return ids
}

func runInstances(t *testing.T, open Opener) {
	t.Run("Apply upserts instances by id", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		first := instance("i1", "welcome", 1, "p1", "start", 1)
		first.Key = "order-7"
		first.State = json.RawMessage(`{"entry": {"total": 9.5}, "waits":[]}`)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Instances: []store.JourneyInstance{first, instance("i2", "welcome", 1, "p2", "start", 2)}})
		got, err := s.GetInstance(ctx, "i1")
		require.NoError(t, err)
		require.Equal(t, first, got)
		require.Equal(t, string(first.State), string(got.State), "state byte for byte")
		plain, err := s.GetInstance(ctx, "i2")
		require.NoError(t, err)
		require.Nil(t, plain.State, "no state reads back as nil")
		require.Nil(t, plain.ExitedAt)
		_, err = s.GetInstance(ctx, "nosuch")
		require.ErrorIs(t, err, store.ErrNotFound)

		// Every field is replaced, including clearing the key and the state.
		moved := exited(instance("i1", "welcome", 2, "p1", "email_1", 1), "completed", 5)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Instances: []store.JourneyInstance{moved}})
		got, err = s.GetInstance(ctx, "i1")
		require.NoError(t, err)
		require.Equal(t, moved, got)
		cp, err := s.Checkpoint(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(2), cp)

		// The last row of an id in one batch wins.
		a, b := instance("i3", "welcome", 1, "p3", "a", 3), instance("i3", "welcome", 1, "p3", "b", 3)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 3, Instances: []store.JourneyInstance{a, b}})
		got, err = s.GetInstance(ctx, "i3")
		require.NoError(t, err)
		require.Equal(t, b, got)
	})

	t.Run("a failing Apply writes no instance", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		bad := instance("i2", "welcome", 1, "p2", "start", 2)
		bad.State = json.RawMessage(`{"waits":`)
		err := s.Apply(ctx, &store.ProcessBatch{Checkpoint: 1, Instances: []store.JourneyInstance{instance("i1", "welcome", 1, "p1", "start", 1), bad}})
		require.ErrorContains(t, err, "state")
		_, err = s.GetInstance(ctx, "i1")
		require.ErrorIs(t, err, store.ErrNotFound)
		require.Error(t, s.Apply(ctx, &store.ProcessBatch{Checkpoint: 1, Instances: []store.JourneyInstance{instance("", "welcome", 1, "p1", "start", 1)}}),
			"an instance needs an id")
		cp, err := s.Checkpoint(ctx)
		require.NoError(t, err)
		require.Zero(t, cp)
	})

	t.Run("ProfileInstances lists newest entry first", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Instances: []store.JourneyInstance{
			instance("i1", "welcome", 1, "p1", "start", 1), exited(instance("i2", "winback", 1, "p1", "end", 3), "goal", 4),
			instance("i3", "welcome", 1, "p2", "start", 5), instance("i4", "cart", 2, "p1", "wait", 2)}})
		got, err := s.ProfileInstances(t.Context(), "p1")
		require.NoError(t, err)
		require.Equal(t, []string{"i2", "i4", "i1"}, instanceIDs(got))
		require.Equal(t, exited(instance("i2", "winback", 1, "p1", "end", 3), "goal", 4), got[0])
		none, err := s.ProfileInstances(t.Context(), "nosuch")
		require.NoError(t, err)
		require.Empty(t, none)
	})

	t.Run("ListInstances pages by id with filters; counts", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		var ins []store.JourneyInstance
		// 150 instances of welcome: more than one multi-row statement holds.
		for i := range 150 {
			in := instance(fmt.Sprintf("w%03d", 149-i), "welcome", 1+i%2, fmt.Sprintf("p%d", i), []string{"start", "email", "wait", "email"}[i%4], i)
			if i%5 == 0 {
				in = exited(in, []string{"completed", "goal"}[i%2], i+1)
			}
			ins = append(ins, in)
		}
		ins = append(ins, instance("x1", "other", 1, "p1", "start", 1), exited(instance("x2", "other", 1, "p2", "end", 1), "stopped", 2))
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Instances: ins})

		for _, tc := range []struct {
			name         string
			status, node string
			want         int
		}{
			{"all", "", "", 150},
			{"active", store.InstanceActive, "", 120},
			{"exited", store.InstanceExited, "", 30},
			{"at a node", "", "email", 75},
			{"active at a node", store.InstanceActive, "email", 60},
			{"none", store.InstanceActive, "nosuch", 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var all []store.JourneyInstance
				after := ""
				for {
					page, err := s.ListInstances(ctx, store.InstanceQuery{JourneyID: "welcome", Status: tc.status, Node: tc.node, After: after, Limit: 7})
					require.NoError(t, err)
					require.LessOrEqual(t, len(page), 7)
					if len(page) == 0 {
						break
					}
					all = append(all, page...)
					after = page[len(page)-1].ID
				}
				require.Len(t, all, tc.want)
				for i, in := range all {
					require.Equal(t, "welcome", in.JourneyID)
					if tc.status != "" {
						require.Equal(t, tc.status, in.Status)
					}
					if tc.node != "" {
						require.Equal(t, tc.node, in.Node)
					}
					if i > 0 {
						require.Less(t, all[i-1].ID, in.ID, "ordered by id")
					}
				}
			})
		}
		_, err := s.ListInstances(ctx, store.InstanceQuery{JourneyID: "welcome"})
		require.Error(t, err, "a limit must be positive")

		n, err := s.CountInstances(ctx, "welcome")
		require.NoError(t, err)
		require.Equal(t, int64(150), n)
		n, err = s.CountInstances(ctx, "nosuch")
		require.NoError(t, err)
		require.Zero(t, n)

		// Active instances (i%5 != 0) are at version 1+i%2 and node i%4: the
		// even ones at start or wait in version 1, the odd ones at email in version 2.
		want := []store.JourneyNodeCount{{Version: 1, Node: "start", Active: 30}, {Version: 1, Node: "wait", Active: 30},
			{Version: 2, Node: "email", Active: 60}}
		nodes, err := s.JourneyNodeCounts(ctx, "welcome")
		require.NoError(t, err)
		require.Equal(t, want, nodes, "ordered by version, node")

		exits, err := s.JourneyExitCounts(ctx, "welcome")
		require.NoError(t, err)
		require.Equal(t, []store.JourneyExitCount{{Reason: "completed", Count: 15}, {Reason: "goal", Count: 15}}, exits)
		exits, err = s.JourneyExitCounts(ctx, "other")
		require.NoError(t, err)
		require.Equal(t, []store.JourneyExitCount{{Reason: "stopped", Count: 1}}, exits)
		nodes, err = s.JourneyNodeCounts(ctx, "nosuch")
		require.NoError(t, err)
		require.Empty(t, nodes)
	})

	t.Run("Reset drops instances and keeps the delivery ledger", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		sd := send("k1", "p1", 1)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Instances: []store.JourneyInstance{instance("i1", "welcome", 1, "p1", "start", 1)},
			Sends: []store.Send{sd}})
		require.NoError(t, s.AddEngagement(ctx, store.Engagement{Key: "k1", Type: "opened", At: at(2)}))
		require.NoError(t, s.SetSubscription(ctx, store.Subscription{ProfileID: "p1", GroupID: "news", State: "unsubscribed", UpdatedAt: at(2)}))
		require.NoError(t, s.AddSuppression(ctx, store.Suppression{Channel: "email", Address: "a@example.com", Reason: "bounce", CreatedAt: at(2)}))

		require.NoError(t, s.Reset(ctx))
		_, err := s.GetInstance(ctx, "i1")
		require.ErrorIs(t, err, store.ErrNotFound)
		n, err := s.CountInstances(ctx, "welcome")
		require.NoError(t, err)
		require.Zero(t, n)
		got, err := s.GetSend(ctx, "k1")
		require.NoError(t, err)
		require.Equal(t, sd, got)
		es, err := s.Engagements(ctx, "k1")
		require.NoError(t, err)
		require.Len(t, es, 1)
		subs, err := s.Subscriptions(ctx, "p1")
		require.NoError(t, err)
		require.Len(t, subs, 1)
		_, err = s.Suppressed(ctx, "email", "a@example.com")
		require.NoError(t, err)

		// A rebuild replays the step: the send is not queued again.
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Instances: []store.JourneyInstance{instance("i1", "welcome", 1, "p1", "start", 1)},
			Sends: []store.Send{send("k1", "p1", 1)}})
		require.NoError(t, s.UpdateSend(ctx, store.SendUpdate{Key: "k1", Status: store.SendSent, At: at(3)}))
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Sends: []store.Send{send("k1", "p1", 1)}})
		got, err = s.GetSend(ctx, "k1")
		require.NoError(t, err)
		require.Equal(t, store.SendSent, got.Status)
	})
}
