package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

func runSources(t *testing.T, open Opener) {
	t.Parallel()
	_, s := open(t)
	ctx := t.Context()
	yes, no := true, false
	web := store.Source{ID: "web", Name: "Web site", Channel: "web", Party: "first", CreatedAt: at(1),
		LinkAnonymous: &yes, Keys: []store.WriteKey{
			{Key: "wk-web-1", SourceID: "web", CreatedAt: at(1)},
			{Key: "wk-web-2", SourceID: "web", CreatedAt: at(2)},
		}}
	pos := store.Source{ID: "pos", Name: "Stores", Channel: "store", Party: "first", CreatedAt: at(3), LinkAnonymous: &no}
	vendor := store.Source{ID: "vendor", Name: "Data vendor", Channel: "vendor", Party: "third", CreatedAt: at(4)}
	for _, src := range []store.Source{web, pos, vendor} {
		require.NoError(t, s.CreateSource(ctx, src))
	}

	t.Run("get and list", func(t *testing.T) {
		got, err := s.GetSource(ctx, "web")
		require.NoError(t, err)
		require.Equal(t, web, got)
		got, err = s.GetSource(ctx, "vendor")
		require.NoError(t, err)
		require.Equal(t, vendor, got)
		require.Nil(t, got.LinkAnonymous)
		_, err = s.GetSource(ctx, "nosuch")
		require.ErrorIs(t, err, store.ErrNotFound)
		list, err := s.ListSources(ctx)
		require.NoError(t, err)
		require.Len(t, list, 3)
		require.Equal(t, []string{"pos", "vendor", "web"}, []string{list[0].ID, list[1].ID, list[2].ID})
	})

	t.Run("duplicate id or key conflicts", func(t *testing.T) {
		err := s.CreateSource(ctx, store.Source{ID: "web", Name: "again", Channel: "web", Party: "first", CreatedAt: at(5)})
		require.ErrorIs(t, err, store.ErrConflict)
		err = s.CreateSource(ctx, store.Source{ID: "other", Name: "o", Channel: "web", Party: "first", CreatedAt: at(5),
			Keys: []store.WriteKey{{Key: "wk-web-1", CreatedAt: at(5)}}})
		require.ErrorIs(t, err, store.ErrConflict)
		_, err = s.GetSource(ctx, "other")
		require.ErrorIs(t, err, store.ErrNotFound, "a failed create leaves nothing behind")
		err = s.AddWriteKey(ctx, store.WriteKey{Key: "wk-web-2", SourceID: "pos", CreatedAt: at(5)})
		require.ErrorIs(t, err, store.ErrConflict)
	})

	t.Run("keys: add, look up, revoke", func(t *testing.T) {
		k := store.WriteKey{Key: "wk-pos-1", SourceID: "pos", CreatedAt: at(6)}
		require.NoError(t, s.AddWriteKey(ctx, k))
		src, key, err := s.SourceByWriteKey(ctx, "wk-pos-1")
		require.NoError(t, err)
		require.Equal(t, "pos", src.ID)
		require.Equal(t, pos.Channel, src.Channel)
		require.Equal(t, pos.LinkAnonymous, src.LinkAnonymous)
		require.Equal(t, k, key)

		require.NoError(t, s.RevokeWriteKey(ctx, "pos", "wk-pos-1", at(7)))
		src, key, err = s.SourceByWriteKey(ctx, "wk-pos-1")
		require.NoError(t, err, "a revoked key still names its source")
		require.Equal(t, "pos", src.ID)
		require.NotNil(t, key.RevokedAt)
		require.Equal(t, at(7), *key.RevokedAt)

		_, _, err = s.SourceByWriteKey(ctx, "wk-unknown")
		require.ErrorIs(t, err, store.ErrNotFound)
		require.ErrorIs(t, s.RevokeWriteKey(ctx, "pos", "wk-unknown", at(7)), store.ErrNotFound)
		require.ErrorIs(t, s.RevokeWriteKey(ctx, "web", "wk-pos-1", at(7)), store.ErrNotFound, "key of another source")

		got, err := s.GetSource(ctx, "pos")
		require.NoError(t, err)
		require.Len(t, got.Keys, 1)
		require.Equal(t, at(7), *got.Keys[0].RevokedAt)
	})

	t.Run("key for an unknown source", func(t *testing.T) {
		err := s.AddWriteKey(ctx, store.WriteKey{Key: "wk-x", SourceID: "nosuch", CreatedAt: at(8)})
		require.ErrorIs(t, err, store.ErrNotFound)
	})
}
