package storetest

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

// send is a queued email of the welcome journey, due and created at at(n).
func send(key, profile string, n int) store.Send {
	return store.Send{Key: key, JourneyID: "welcome", Version: 1, InstanceID: "i-" + profile, NodeID: "email_1",
		ProfileID: profile, Channel: "email", TemplateID: "welcome", Status: store.SendQueued,
		DueAt: at(n), CreatedAt: at(n), UpdatedAt: at(n)}
}

func sendKeys(sends []store.Send) []string {
	var keys []string
	for _, sd := range sends {
		keys = append(keys, sd.Key)
	}
	return keys
}

func ptr[T any](v T) *T { return &v }

func runDelivery(t *testing.T, open Opener) {
	t.Run("Apply inserts a send unless its key exists", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		k1 := send("k1", "p1", 1)
		k1.Payload = json.RawMessage(`{"vars": {"name":"Ada"}, "rules":["cap"]}`)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Sends: []store.Send{k1, send("k2", "p2", 2)}})
		got, err := s.GetSend(ctx, "k1")
		require.NoError(t, err)
		require.Equal(t, k1, got)
		require.Equal(t, string(k1.Payload), string(got.Payload), "payload byte for byte")
		got, err = s.GetSend(ctx, "k2")
		require.NoError(t, err)
		require.Nil(t, got.Payload, "no payload reads back as nil")
		require.Nil(t, got.SentAt)
		_, err = s.GetSend(ctx, "nosuch")
		require.ErrorIs(t, err, store.ErrNotFound)

		sentAt := at(3)
		require.NoError(t, s.UpdateSend(ctx, store.SendUpdate{Key: "k1", Status: store.SendSent, ProviderID: "msg-1",
			To: "ada@example.com", Attempts: 1, SentAt: &sentAt, At: at(3)}))
		want := k1
		want.Status, want.ProviderID, want.To, want.Attempts, want.SentAt, want.UpdatedAt = store.SendSent, "msg-1", "ada@example.com", 1, &sentAt, at(3)
		// A replayed step offers the queued send again: the settled one stays.
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 2, Sends: []store.Send{k1}})
		got, err = s.GetSend(ctx, "k1")
		require.NoError(t, err)
		require.Equal(t, want, got)

		first, second := send("k3", "p3", 4), send("k3", "p3", 5)
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 3, Sends: []store.Send{first, second}})
		got, err = s.GetSend(ctx, "k3")
		require.NoError(t, err)
		require.Equal(t, first, got, "the first of a key in one batch wins")
		cp, err := s.Checkpoint(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(3), cp)
	})

	t.Run("a failing Apply writes no send", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		bad := send("k2", "p1", 1)
		bad.Payload = json.RawMessage(`{"vars":`)
		for name, b := range map[string]*store.ProcessBatch{
			"invalid payload": {Checkpoint: 1, Instances: []store.JourneyInstance{instance("i1", "welcome", 1, "p1", "start", 1)},
				Sends: []store.Send{send("k1", "p1", 1), bad}},
			"empty key": {Checkpoint: 1, Sends: []store.Send{send("k1", "p1", 1), send("", "p1", 1)}},
		} {
			require.Error(t, s.Apply(ctx, b), name)
		}
		_, err := s.GetSend(ctx, "k1")
		require.ErrorIs(t, err, store.ErrNotFound)
		_, err = s.GetInstance(ctx, "i1")
		require.ErrorIs(t, err, store.ErrNotFound)
	})

	t.Run("InsertSend refuses a key that exists", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Sends: []store.Send{send("k1", "p1", 1)}})
		tx := store.Send{Key: "api-1", ProfileID: "p1", Channel: "sms", Status: store.SendQueued, To: "+33600000000",
			Payload: json.RawMessage(`{"body":"code 1234"}`), DueAt: at(2), CreatedAt: at(2), UpdatedAt: at(2)}
		require.NoError(t, s.InsertSend(ctx, tx))
		got, err := s.GetSend(ctx, "api-1")
		require.NoError(t, err)
		require.Equal(t, tx, got)
		require.ErrorIs(t, s.InsertSend(ctx, tx), store.ErrConflict)
		require.ErrorIs(t, s.InsertSend(ctx, send("k1", "p9", 9)), store.ErrConflict, "a key written by Apply")
		got, err = s.GetSend(ctx, "k1")
		require.NoError(t, err)
		require.Equal(t, send("k1", "p1", 1), got)
		bad := send("k2", "p1", 1)
		bad.Payload = json.RawMessage(`nope`)
		require.Error(t, s.InsertSend(ctx, bad))
		require.Error(t, s.InsertSend(ctx, send("", "p1", 1)))
		_, err = s.GetSend(ctx, "k2")
		require.ErrorIs(t, err, store.ErrNotFound)
	})

	t.Run("UpdateSend writes the status and the non-zero fields", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		// base has every optional field set, so that keeping them shows.
		base := send("", "p1", 1)
		base.Reason, base.ProviderID, base.To, base.Attempts, base.SentAt = "r0", "pid-0", "old@example.com", 3, ptr(at(2))
		base.Payload = json.RawMessage(`{"v":1}`)
		for _, tc := range []struct {
			name   string
			update store.SendUpdate
			want   func(sd *store.Send) // nil: the update is refused and changes nothing
		}{
			{name: "status only keeps every other field", update: store.SendUpdate{Status: store.SendAttempting},
				want: func(sd *store.Send) { sd.Status = store.SendAttempting }},
			{name: "every field", update: store.SendUpdate{Status: store.SendSent, Reason: "r1", ProviderID: "pid-1",
				To: "new@example.com", Attempts: 4, DueAt: at(9), SentAt: ptr(at(8)), At: at(8)},
				want: func(sd *store.Send) {
					sd.Status, sd.Reason, sd.ProviderID, sd.To, sd.Attempts = store.SendSent, "r1", "pid-1", "new@example.com", 4
					sd.DueAt, sd.SentAt, sd.UpdatedAt = at(9), ptr(at(8)), at(8)
				}},
			{name: "retry backoff", update: store.SendUpdate{Status: store.SendQueued, Reason: "timeout", Attempts: 4, DueAt: at(20), At: at(5)},
				want: func(sd *store.Send) {
					sd.Status, sd.Reason, sd.Attempts, sd.DueAt, sd.UpdatedAt = store.SendQueued, "timeout", 4, at(20), at(5)
				}},
			{name: "content is kept byte for byte", update: store.SendUpdate{Status: store.SendSent, Content: json.RawMessage(`{"title":"Hi",  "body":"<b>x</b>"}`), At: at(6)},
				want: func(sd *store.Send) {
					sd.Status, sd.Content, sd.UpdatedAt = store.SendSent, json.RawMessage(`{"title":"Hi",  "body":"<b>x</b>"}`), at(6)
				}},
			{name: "content that is not JSON is refused", update: store.SendUpdate{Status: store.SendSent, Content: json.RawMessage(`{`), At: at(6)}},
			{name: "empty status is refused", update: store.SendUpdate{Reason: "x", At: at(5)}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				sd := base
				sd.Key = tc.name
				require.NoError(t, s.InsertSend(ctx, sd))
				u := tc.update
				u.Key = sd.Key
				err := s.UpdateSend(ctx, u)
				if tc.want == nil {
					require.Error(t, err)
				} else {
					require.NoError(t, err)
					tc.want(&sd)
				}
				got, err := s.GetSend(ctx, sd.Key)
				require.NoError(t, err)
				require.Equal(t, sd, got)
			})
		}
		err := s.UpdateSend(ctx, store.SendUpdate{Key: "nosuch", Status: store.SendSent, At: at(5)})
		require.ErrorIs(t, err, store.ErrNotFound)
	})

	t.Run("DueSends, NextSendDue and SendsByStatus", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		_, ok, err := s.NextSendDue(ctx)
		require.NoError(t, err)
		require.False(t, ok)
		done := send("k-d", "p1", 0)
		done.Status = store.SendSent
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Sends: []store.Send{send("k-a", "p1", 3), send("k-c", "p2", 3),
			send("k-b", "p3", 1), done, send("k-e", "p4", 5)}})
		require.NoError(t, s.InsertSend(ctx, send("k-0", "p5", 3)))
		for _, tc := range []struct {
			name  string
			now   int
			limit int
			want  []string
		}{
			{"due at now is due; equal times by key", 3, 10, []string{"k-b", "k-0", "k-a", "k-c"}},
			{"limit", 3, 2, []string{"k-b", "k-0"}},
			{"only queued", 9, 10, []string{"k-b", "k-0", "k-a", "k-c", "k-e"}},
			{"none due", 0, 10, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				due, err := s.DueSends(ctx, at(tc.now), tc.limit)
				require.NoError(t, err)
				require.Equal(t, tc.want, sendKeys(due))
			})
		}
		due, err := s.DueSends(ctx, at(1), 10)
		require.NoError(t, err)
		require.Equal(t, []store.Send{send("k-b", "p3", 1)}, due)
		_, err = s.DueSends(ctx, at(3), 0)
		require.Error(t, err, "a limit must be positive")

		next, ok, err := s.NextSendDue(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, at(1), next, "the sent k-d, due earlier, does not count")

		// The dispatcher claims sends; recovery lists attempting ones by update time.
		for _, c := range []struct {
			key string
			n   int
		}{{"k-c", 7}, {"k-b", 6}, {"k-a", 7}} {
			require.NoError(t, s.UpdateSend(ctx, store.SendUpdate{Key: c.key, Status: store.SendAttempting, At: at(c.n)}))
		}
		next, ok, err = s.NextSendDue(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, at(3), next)
		att, err := s.SendsByStatus(ctx, store.SendAttempting, 10)
		require.NoError(t, err)
		require.Equal(t, []string{"k-b", "k-a", "k-c"}, sendKeys(att), "by update time, then key")
		att, err = s.SendsByStatus(ctx, store.SendAttempting, 1)
		require.NoError(t, err)
		require.Equal(t, []string{"k-b"}, sendKeys(att))
		none, err := s.SendsByStatus(ctx, store.SendUnknown, 10)
		require.NoError(t, err)
		require.Empty(t, none)
		_, err = s.SendsByStatus(ctx, store.SendAttempting, 0)
		require.Error(t, err, "a limit must be positive")

		for _, k := range []string{"k-0", "k-e"} {
			require.NoError(t, s.UpdateSend(ctx, store.SendUpdate{Key: k, Status: store.SendSkipped, Reason: "frequency_cap", At: at(8)}))
		}
		_, ok, err = s.NextSendDue(ctx)
		require.NoError(t, err)
		require.False(t, ok, "no queued send left")
	})

	t.Run("concurrent updates each keep their own outcome", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		const n = 40
		var sends []store.Send
		for i := range n {
			sends = append(sends, send(fmt.Sprintf("k%02d", i), "p1", 1))
		}
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Sends: sends})
		errs := make([]error, n+1)
		var wg sync.WaitGroup
		for i := range n + 1 { // the last one names no send
			wg.Go(func() {
				errs[i] = s.UpdateSend(ctx, store.SendUpdate{Key: fmt.Sprintf("k%02d", i), Status: store.SendSent,
					ProviderID: fmt.Sprintf("pid-%d", i), At: at(2)})
			})
		}
		wg.Wait()
		for i := range n {
			require.NoError(t, errs[i], "update %d", i)
			sd, err := s.GetSend(ctx, fmt.Sprintf("k%02d", i))
			require.NoError(t, err)
			require.Equal(t, store.SendSent, sd.Status)
			require.Equal(t, fmt.Sprintf("pid-%d", i), sd.ProviderID)
		}
		require.ErrorIs(t, errs[n], store.ErrNotFound, "an update of a missing send fails alone")
	})

	t.Run("an outcome's event is pending until cleared", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Sends: []store.Send{send("k1", "p1", 1), send("k2", "p1", 1), send("k3", "p1", 1)}})
		ev1 := json.RawMessage(`{"event":"Message Sent",  "key":"k1"}`)
		ev3 := json.RawMessage(`{"event":"Message Failed","key":"k3"}`)
		require.NoError(t, s.UpdateSend(ctx, store.SendUpdate{Key: "k1", Status: store.SendSent, Event: ev1, At: at(2)}))
		require.NoError(t, s.UpdateSend(ctx, store.SendUpdate{Key: "k2", Status: store.SendAttempting, At: at(2)}))
		require.NoError(t, s.UpdateSend(ctx, store.SendUpdate{Key: "k3", Status: store.SendFailed, Event: ev3, At: at(2)}))
		require.Error(t, s.UpdateSend(ctx, store.SendUpdate{Key: "k2", Status: store.SendSent, Event: json.RawMessage(`{`), At: at(3)}))
		got, err := s.PendingEvents(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, []string{"k1", "k3"}, sendKeys(got))
		require.Equal(t, ev1, got[0].PendingEvent, "byte for byte")
		// Clearing with a stale event keeps a newer one.
		require.NoError(t, s.ClearPendingEvents(ctx, nil))
		require.NoError(t, s.ClearPendingEvents(ctx, []store.PendingClear{
			{Key: "k3", Event: json.RawMessage(`{"old":true}`)}, {Key: "k1", Event: ev1}, {Key: "nosuch", Event: ev1},
		}))
		got, err = s.PendingEvents(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, []string{"k3"}, sendKeys(got))
		sd, err := s.GetSend(ctx, "k1")
		require.NoError(t, err)
		require.Nil(t, sd.PendingEvent)
		require.Equal(t, store.SendSent, sd.Status)
	})

	t.Run("ChannelSends pages a channel's sends in a status", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		task := func(key string) store.Send {
			sd := send(key, "p1", 1)
			sd.Channel = "task"
			return sd
		}
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Sends: []store.Send{task("t3"), task("t1"), task("t2"), send("e1", "p1", 1)}})
		require.NoError(t, s.UpdateSend(ctx, store.SendUpdate{Key: "t2", Status: store.SendSent, At: at(2)}))
		got, err := s.ChannelSends(ctx, "task", store.SendQueued, "", 10)
		require.NoError(t, err)
		require.Equal(t, []string{"t1", "t3"}, sendKeys(got))
		got, err = s.ChannelSends(ctx, "task", store.SendQueued, "t1", 10)
		require.NoError(t, err)
		require.Equal(t, []string{"t3"}, sendKeys(got))
		got, err = s.ChannelSends(ctx, "task", store.SendSent, "", 1)
		require.NoError(t, err)
		require.Equal(t, []string{"t2"}, sendKeys(got))
		got, err = s.ChannelSends(ctx, "sms", store.SendQueued, "", 10)
		require.NoError(t, err)
		require.Empty(t, got)
	})

	t.Run("ProfileSends and SendByProviderID", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Sends: []store.Send{send("k1", "p1", 1), send("k2", "p1", 3),
			send("k3", "p1", 2), send("k4", "p2", 4), send("k5", "p1", 3)}})
		for _, tc := range []struct {
			name    string
			profile string
			since   int
			limit   int
			want    []string
		}{
			{"newest first, equal times by key descending", "p1", 0, 10, []string{"k5", "k2", "k3", "k1"}},
			{"since is inclusive", "p1", 2, 10, []string{"k5", "k2", "k3"}},
			{"limit", "p1", 0, 2, []string{"k5", "k2"}},
			{"other profile", "p2", 0, 10, []string{"k4"}},
			{"none", "nosuch", 0, 10, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.ProfileSends(ctx, tc.profile, at(tc.since), tc.limit)
				require.NoError(t, err)
				require.Equal(t, tc.want, sendKeys(got))
			})
		}
		_, err := s.ProfileSends(ctx, "p1", at(0), 0)
		require.Error(t, err, "a limit must be positive")

		require.NoError(t, s.UpdateSend(ctx, store.SendUpdate{Key: "k3", Status: store.SendSent, ProviderID: "prov-3", At: at(5)}))
		got, err := s.SendByProviderID(ctx, "email", "prov-3")
		require.NoError(t, err)
		require.Equal(t, "k3", got.Key)
		require.Equal(t, "prov-3", got.ProviderID)
		for _, k := range [][2]string{{"sms", "prov-3"}, {"email", "prov-9"}, {"email", ""}} {
			_, err := s.SendByProviderID(ctx, k[0], k[1])
			require.ErrorIs(t, err, store.ErrNotFound, "%v", k)
		}
	})

	t.Run("JourneySendCounts groups by node, status and reason", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		var sends []store.Send
		for i, c := range []struct{ node, status, reason string }{
			{"email_1", store.SendSent, ""}, {"email_1", store.SendSent, ""}, {"email_1", store.SendSkipped, "suppressed"},
			{"email_1", store.SendSkipped, "frequency_cap"}, {"email_1", store.SendSkipped, "suppressed"},
			{"a_sms", store.SendFailed, "invalid_number"}, {"a_sms", store.SendQueued, ""},
		} {
			sd := send("k"+string(rune('a'+i)), "p1", i)
			sd.NodeID, sd.Status, sd.Reason = c.node, c.status, c.reason
			sends = append(sends, sd)
		}
		other := send("o1", "p1", 1)
		other.JourneyID = "winback"
		api := send("t1", "p1", 1)
		api.JourneyID, api.NodeID = "", ""
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Sends: append(sends, other, api)})
		got, err := s.JourneySendCounts(ctx, "welcome")
		require.NoError(t, err)
		require.Equal(t, []store.SendCount{
			{Node: "a_sms", Status: store.SendFailed, Reason: "invalid_number", Count: 1},
			{Node: "a_sms", Status: store.SendQueued, Count: 1},
			{Node: "email_1", Status: store.SendSent, Count: 2},
			{Node: "email_1", Status: store.SendSkipped, Reason: "frequency_cap", Count: 1},
			{Node: "email_1", Status: store.SendSkipped, Reason: "suppressed", Count: 2},
		}, got)
		got, err = s.JourneySendCounts(ctx, "nosuch")
		require.NoError(t, err)
		require.Empty(t, got)
	})

	t.Run("engagements are idempotent facts", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		mustApply(t, s, &store.ProcessBatch{Checkpoint: 1, Sends: []store.Send{send("k1", "p1", 1), send("k2", "p1", 1)}})
		for _, e := range []store.Engagement{
			{Key: "k1", Type: "opened", At: at(5)},
			{Key: "k1", Type: "delivered", At: at(4)},
			{Key: "k1", Type: "opened", At: at(5), Data: "replayed webhook"},
			{Key: "k1", Type: "clicked", At: at(5), Data: "https://example.com/a?b=1"},
			{Key: "k1", Type: "opened", At: at(6)},
			{Key: "k2", Type: "bounced", At: at(2), Data: "550 no such user"},
		} {
			require.NoError(t, s.AddEngagement(ctx, e))
		}
		got, err := s.Engagements(ctx, "k1")
		require.NoError(t, err)
		require.Equal(t, []store.Engagement{
			{Key: "k1", Type: "delivered", At: at(4)},
			{Key: "k1", Type: "clicked", At: at(5), Data: "https://example.com/a?b=1"},
			{Key: "k1", Type: "opened", At: at(5)},
			{Key: "k1", Type: "opened", At: at(6)},
		}, got, "oldest first, equal times by type; the first of a fact is kept")
		require.ErrorIs(t, s.AddEngagement(ctx, store.Engagement{Key: "nosuch", Type: "opened", At: at(1)}), store.ErrNotFound)
		got, err = s.Engagements(ctx, "nosuch")
		require.NoError(t, err)
		require.Empty(t, got)
	})

	t.Run("subscriptions upsert by profile and group", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		for _, sub := range []store.Subscription{
			{ProfileID: "p1", GroupID: "news", State: "subscribed", UpdatedAt: at(1), Source: "import"},
			{ProfileID: "p1", GroupID: "Promo", State: "unsubscribed", UpdatedAt: at(2), Source: "link"},
			{ProfileID: "p2", GroupID: "news", State: "subscribed", UpdatedAt: at(3)},
			{ProfileID: "p1", GroupID: "news", State: "unsubscribed", UpdatedAt: at(4), Source: "api"},
		} {
			require.NoError(t, s.SetSubscription(ctx, sub))
		}
		got, err := s.Subscriptions(ctx, "p1")
		require.NoError(t, err)
		require.Equal(t, []store.Subscription{
			{ProfileID: "p1", GroupID: "Promo", State: "unsubscribed", UpdatedAt: at(2), Source: "link"},
			{ProfileID: "p1", GroupID: "news", State: "unsubscribed", UpdatedAt: at(4), Source: "api"},
		}, got, "ordered by group in byte order")
		got, err = s.Subscriptions(ctx, "nosuch")
		require.NoError(t, err)
		require.Empty(t, got)
		require.Error(t, s.SetSubscription(ctx, store.Subscription{ProfileID: "p1", State: "subscribed", UpdatedAt: at(5)}), "empty group")
	})

	t.Run("suppressions upsert by channel and address", func(t *testing.T) {
		t.Parallel()
		_, s := open(t)
		ctx := t.Context()
		for _, sup := range []store.Suppression{
			{Channel: "email", Address: "c@example.com", Reason: "hard_bounce", CreatedAt: at(1)},
			{Channel: "email", Address: "a@example.com", Reason: "hard_bounce", CreatedAt: at(2)},
			{Channel: "sms", Address: "+33600000000", Reason: "stop", CreatedAt: at(3)},
			{Channel: "email", Address: "b@example.com", Reason: "import", CreatedAt: at(4)},
			{Channel: "email", Address: "a@example.com", Reason: "complaint", CreatedAt: at(5)},
		} {
			require.NoError(t, s.AddSuppression(ctx, sup))
		}
		got, err := s.Suppressed(ctx, "email", "a@example.com")
		require.NoError(t, err)
		require.Equal(t, store.Suppression{Channel: "email", Address: "a@example.com", Reason: "complaint", CreatedAt: at(5)}, got)
		for _, k := range [][2]string{{"sms", "a@example.com"}, {"email", "d@example.com"}} {
			_, err := s.Suppressed(ctx, k[0], k[1])
			require.ErrorIs(t, err, store.ErrNotFound, "%v", k)
		}
		var pages [][]string
		after := ""
		for {
			page, err := s.ListSuppressions(ctx, "email", after, 2)
			require.NoError(t, err)
			if len(page) == 0 {
				break
			}
			var addrs []string
			for _, sup := range page {
				require.Equal(t, "email", sup.Channel)
				addrs = append(addrs, sup.Address)
			}
			pages = append(pages, addrs)
			after = page[len(page)-1].Address
		}
		require.Equal(t, [][]string{{"a@example.com", "b@example.com"}, {"c@example.com"}}, pages)
		sms, err := s.ListSuppressions(ctx, "sms", "", 10)
		require.NoError(t, err)
		require.Equal(t, []store.Suppression{{Channel: "sms", Address: "+33600000000", Reason: "stop", CreatedAt: at(3)}}, sms)
		_, err = s.ListSuppressions(ctx, "email", "", 0)
		require.Error(t, err, "a limit must be positive")
	})
}
