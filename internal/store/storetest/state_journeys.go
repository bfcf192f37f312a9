package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

func runJourneys(t *testing.T, open Opener) {
	t.Parallel()
	_, s := open(t)
	ctx := t.Context()
	// Canonical JSON keeps its field order and spacing: stored byte for byte.
	draft := json.RawMessage(`{"nodes": [{"id":"start","type":"entry"}], "b": 1, "a": "caf\u00e9"}`)
	require.NoError(t, s.CreateJourney(ctx, store.Journey{ID: "welcome", Name: "Welcome", Status: store.JourneyLive,
		Draft: draft, LiveVersion: 4, CreatedAt: at(1), UpdatedAt: at(9)}))
	welcome := store.Journey{ID: "welcome", Name: "Welcome", Status: store.JourneyDraft, Draft: draft, CreatedAt: at(1), UpdatedAt: at(1)}
	require.NoError(t, s.CreateJourney(ctx, store.Journey{ID: "Winback", Name: "Win back", Draft: draft, CreatedAt: at(2)}))
	require.NoError(t, s.CreateJourney(ctx, store.Journey{ID: "abandoned", Name: "Abandoned cart", CreatedAt: at(3)}))

	t.Run("create sets draft status and reads back byte for byte", func(t *testing.T) {
		got, err := s.GetJourney(ctx, "welcome")
		require.NoError(t, err)
		require.Equal(t, welcome, got, "status, live version and update time are set by the store")
		require.Equal(t, string(draft), string(got.Draft))
		empty, err := s.GetJourney(ctx, "abandoned")
		require.NoError(t, err)
		require.Nil(t, empty.Draft, "no draft reads back as nil")
		_, err = s.GetJourney(ctx, "nosuch")
		require.ErrorIs(t, err, store.ErrNotFound)
	})

	t.Run("create refuses a duplicate id, an empty id and invalid JSON", func(t *testing.T) {
		err := s.CreateJourney(ctx, store.Journey{ID: "welcome", Name: "Again", Draft: draft, CreatedAt: at(4)})
		require.ErrorIs(t, err, store.ErrConflict)
		require.Error(t, s.CreateJourney(ctx, store.Journey{Name: "No id", CreatedAt: at(4)}))
		require.Error(t, s.CreateJourney(ctx, store.Journey{ID: "broken", Draft: json.RawMessage(`{"nodes":`), CreatedAt: at(4)}))
		_, err = s.GetJourney(ctx, "broken")
		require.ErrorIs(t, err, store.ErrNotFound)
		got, err := s.GetJourney(ctx, "welcome")
		require.NoError(t, err)
		require.Equal(t, welcome, got, "a refused create changes nothing")
	})

	t.Run("list is ordered by id in byte order", func(t *testing.T) {
		list, err := s.ListJourneys(ctx)
		require.NoError(t, err)
		var ids []string
		for _, j := range list {
			ids = append(ids, j.ID)
		}
		require.Equal(t, []string{"Winback", "abandoned", "welcome"}, ids)
		require.Equal(t, welcome, list[2])
	})

	t.Run("update draft replaces name and draft", func(t *testing.T) {
		d2 := json.RawMessage(`{"nodes":[],"v":2}`)
		require.NoError(t, s.UpdateJourneyDraft(ctx, "abandoned", "Cart", d2, at(5)))
		got, err := s.GetJourney(ctx, "abandoned")
		require.NoError(t, err)
		require.Equal(t, store.Journey{ID: "abandoned", Name: "Cart", Status: store.JourneyDraft, Draft: d2,
			CreatedAt: at(3), UpdatedAt: at(5)}, got)
		require.ErrorIs(t, s.UpdateJourneyDraft(ctx, "nosuch", "x", d2, at(5)), store.ErrNotFound)
		require.Error(t, s.UpdateJourneyDraft(ctx, "abandoned", "x", json.RawMessage(`nope`), at(6)))
		got, err = s.GetJourney(ctx, "abandoned")
		require.NoError(t, err)
		require.Equal(t, "Cart", got.Name, "an invalid draft changes nothing")
	})

	t.Run("publish appends immutable versions and makes the latest live", func(t *testing.T) {
		defs := []json.RawMessage{
			json.RawMessage(`{"v": 1, "nodes": []}`),
			json.RawMessage(`{"v":2,"nodes":[{"id":"x"}]}`),
			json.RawMessage("{\n  \"v\": 3\n}"),
		}
		var want []store.JourneyVersion
		for i, def := range defs {
			v, err := s.PublishJourney(ctx, "welcome", def, at(10+i))
			require.NoError(t, err)
			require.Equal(t, i+1, v)
			want = append(want, store.JourneyVersion{JourneyID: "welcome", Version: i + 1, Definition: def, PublishedAt: at(10 + i)})
			got, err := s.GetJourney(ctx, "welcome")
			require.NoError(t, err)
			require.Equal(t, store.Journey{ID: "welcome", Name: "Welcome", Status: store.JourneyLive, Draft: draft,
				LiveVersion: i + 1, CreatedAt: at(1), UpdatedAt: at(10 + i)}, got, "after publish %d", i+1)
		}
		vs, err := s.JourneyVersions(ctx, "welcome")
		require.NoError(t, err)
		require.Equal(t, want, vs, "oldest first")
		for i, v := range vs {
			require.Equal(t, string(defs[i]), string(v.Definition), "byte for byte")
		}
		v2, err := s.GetJourneyVersion(ctx, "welcome", 2)
		require.NoError(t, err)
		require.Equal(t, want[1], v2)
		_, err = s.GetJourneyVersion(ctx, "welcome", 4)
		require.ErrorIs(t, err, store.ErrNotFound)
		_, err = s.GetJourneyVersion(ctx, "nosuch", 1)
		require.ErrorIs(t, err, store.ErrNotFound)

		_, err = s.PublishJourney(ctx, "nosuch", defs[0], at(20))
		require.ErrorIs(t, err, store.ErrNotFound)
		for _, bad := range []json.RawMessage{nil, json.RawMessage(`{"v":`)} {
			_, err = s.PublishJourney(ctx, "welcome", bad, at(20))
			require.Error(t, err, "definition %q", bad)
		}
		vs, err = s.JourneyVersions(ctx, "welcome")
		require.NoError(t, err)
		require.Len(t, vs, 3, "a refused publish adds no version")
		got, err := s.GetJourney(ctx, "welcome")
		require.NoError(t, err)
		require.Equal(t, 3, got.LiveVersion)

		none, err := s.JourneyVersions(ctx, "Winback")
		require.NoError(t, err)
		require.Empty(t, none, "never published")
		_, err = s.JourneyVersions(ctx, "nosuch")
		require.ErrorIs(t, err, store.ErrNotFound)
	})

	t.Run("concurrent publishes take distinct versions", func(t *testing.T) {
		const n = 8
		versions := make(chan int, n)
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				v, err := s.PublishJourney(ctx, "Winback", json.RawMessage(fmt.Sprintf(`{"writer":%d}`, i)), at(50+i))
				versions <- v
				errs <- err
			})
		}
		wg.Wait()
		close(versions)
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		var got []int
		for v := range versions {
			got = append(got, v)
		}
		slices.Sort(got)
		require.Equal(t, []int{1, 2, 3, 4, 5, 6, 7, 8}, got)
		vs, err := s.JourneyVersions(ctx, "Winback")
		require.NoError(t, err)
		require.Len(t, vs, n)
		j, err := s.GetJourney(ctx, "Winback")
		require.NoError(t, err)
		require.Equal(t, n, j.LiveVersion)
	})

	t.Run("status changes", func(t *testing.T) {
		for i, tc := range []struct {
			id, status string
			wantErr    error
		}{
			{"welcome", store.JourneyPaused, nil},
			{"welcome", store.JourneyLive, nil},
			{"welcome", store.JourneyStopped, nil},
			{"nosuch", store.JourneyPaused, store.ErrNotFound},
		} {
			t.Run(tc.id+"_"+tc.status, func(t *testing.T) {
				err := s.SetJourneyStatus(ctx, tc.id, tc.status, at(30+i))
				if tc.wantErr != nil {
					require.ErrorIs(t, err, tc.wantErr)
					return
				}
				require.NoError(t, err)
				got, err := s.GetJourney(ctx, tc.id)
				require.NoError(t, err)
				require.Equal(t, tc.status, got.Status)
				require.Equal(t, at(30+i), got.UpdatedAt)
				require.Equal(t, 3, got.LiveVersion, "a status change keeps the live version")
			})
		}
		require.Error(t, s.SetJourneyStatus(ctx, "welcome", "archived", at(40)), "an unknown status")
		got, err := s.GetJourney(ctx, "welcome")
		require.NoError(t, err)
		require.Equal(t, store.JourneyStopped, got.Status)
	})

	t.Run("reset keeps journeys and versions", func(t *testing.T) {
		before, err := s.ListJourneys(ctx)
		require.NoError(t, err)
		require.NoError(t, s.Reset(ctx))
		after, err := s.ListJourneys(ctx)
		require.NoError(t, err)
		require.Equal(t, before, after)
		vs, err := s.JourneyVersions(ctx, "welcome")
		require.NoError(t, err)
		require.Len(t, vs, 3)
	})
}
