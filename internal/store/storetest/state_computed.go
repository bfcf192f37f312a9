package storetest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

func runComputed(t *testing.T, open Opener) {
	t.Parallel()
	_, s := open(t)
	ctx := t.Context()

	_, err := s.GetComputedTrait(ctx, "ltv")
	require.ErrorIs(t, err, store.ErrNotFound, "no definition before the first put")
	require.ErrorIs(t, s.DeleteComputedTrait(ctx, "ltv", at(1)), store.ErrNotFound)

	def1 := json.RawMessage(`{"name":"ltv","kind":"sum","event":"Order Completed","property":"revenue"}`)
	got, err := s.PutComputedTrait(ctx, store.ComputedTrait{Name: "ltv", Version: 7, Definition: def1, UpdatedAt: at(1)})
	require.NoError(t, err)
	require.Equal(t, store.ComputedTrait{Name: "ltv", Version: 1, Definition: def1, CreatedAt: at(1), UpdatedAt: at(1)}, got)

	def2 := json.RawMessage(`{"name":"ltv","kind":"max","event":"Order Completed","property":"revenue"}`)
	got, err = s.PutComputedTrait(ctx, store.ComputedTrait{Name: "ltv", Definition: def2, UpdatedAt: at(2)})
	require.NoError(t, err)
	require.Equal(t, store.ComputedTrait{Name: "ltv", Version: 2, Definition: def2, CreatedAt: at(1), UpdatedAt: at(2)}, got, "a put replaces the definition and keeps created_at")

	_, err = s.PutComputedTrait(ctx, store.ComputedTrait{Name: "a_first", Definition: def1, UpdatedAt: at(3)})
	require.NoError(t, err)
	list, err := s.ListComputedTraits(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, []string{"a_first", "ltv"}, []string{list[0].Name, list[1].Name}, "listed by name")

	require.NoError(t, s.DeleteComputedTrait(ctx, "ltv", at(4)))
	require.ErrorIs(t, s.DeleteComputedTrait(ctx, "ltv", at(5)), store.ErrNotFound, "already deleted")
	got, err = s.GetComputedTrait(ctx, "ltv")
	require.NoError(t, err, "a deleted definition is still readable")
	require.NotNil(t, got.DeletedAt)
	require.Equal(t, at(4), *got.DeletedAt)
	list, err = s.ListComputedTraits(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1, "deleted definitions are not listed")

	got, err = s.PutComputedTrait(ctx, store.ComputedTrait{Name: "ltv", Definition: def1, UpdatedAt: at(6)})
	require.NoError(t, err)
	require.Nil(t, got.DeletedAt, "a put revives a deleted definition")
	require.Equal(t, 3, got.Version)

	require.NoError(t, s.Reset(ctx))
	list, err = s.ListComputedTraits(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2, "Reset keeps computed trait definitions (control plane)")
}
