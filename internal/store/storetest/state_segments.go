package storetest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

func runSegments(t *testing.T, open Opener) {
	t.Parallel()
	_, s := open(t)
	ctx := t.Context()
	// Canonical JSON keeps its field order: the store must not reorder keys.
	vipDef := json.RawMessage(`{"trait":{"path":"plan","op":"equals","value":"vip"}}`)
	buyersDef := json.RawMessage(`{"performed":{"event":"Order Completed","window":{"within":"30d"}}}`)
	vip, err := s.CreateSegment(ctx, store.Segment{ID: "seg_vip", Name: "VIP", Description: "plan is vip",
		Version: 7, Definition: vipDef, Text: `trait plan = "vip"`, CreatedAt: at(1), UpdatedAt: at(9)})
	require.NoError(t, err)
	require.Equal(t, store.Segment{ID: "seg_vip", Name: "VIP", Description: "plan is vip", Version: 1,
		Definition: vipDef, Text: `trait plan = "vip"`, CreatedAt: at(1), UpdatedAt: at(1)}, vip,
		"version and update time are set by the store")
	_, err = s.CreateSegment(ctx, store.Segment{ID: "seg_buyers", Name: "Buyers", Definition: buyersDef,
		Text: `performed "Order Completed" within 30d`, CreatedAt: at(2)})
	require.NoError(t, err)

	t.Run("get and list", func(t *testing.T) {
		got, err := s.GetSegment(ctx, "seg_vip")
		require.NoError(t, err)
		require.Equal(t, vip, got)
		require.Equal(t, string(vipDef), string(got.Definition), "byte for byte")
		_, err = s.GetSegment(ctx, "seg_nosuch")
		require.ErrorIs(t, err, store.ErrNotFound)
		list, err := s.ListSegments(ctx)
		require.NoError(t, err)
		require.Len(t, list, 2)
		require.Equal(t, "seg_buyers", list[0].ID, "ordered by id")
		require.Equal(t, vip, list[1])
	})

	t.Run("duplicate id or live name conflicts", func(t *testing.T) {
		_, err := s.CreateSegment(ctx, store.Segment{ID: "seg_vip", Name: "Other", Definition: vipDef, CreatedAt: at(3)})
		require.ErrorIs(t, err, store.ErrConflict)
		_, err = s.CreateSegment(ctx, store.Segment{ID: "seg_vip2", Name: "VIP", Definition: vipDef, CreatedAt: at(3)})
		require.ErrorIs(t, err, store.ErrConflict)
		_, err = s.GetSegment(ctx, "seg_vip2")
		require.ErrorIs(t, err, store.ErrNotFound, "a failed create leaves nothing behind")
	})

	t.Run("updates append immutable versions", func(t *testing.T) {
		v2Def := json.RawMessage(`{"trait":{"path":"plan","op":"in","value":["vip","gold"]}}`)
		got, err := s.UpdateSegment(ctx, store.Segment{ID: "seg_buyers", Name: "Recent buyers", Description: "30 days",
			Definition: v2Def, Text: "v2", UpdatedAt: at(4)})
		require.NoError(t, err)
		require.Equal(t, store.Segment{ID: "seg_buyers", Name: "Recent buyers", Description: "30 days", Version: 2,
			Definition: v2Def, Text: "v2", CreatedAt: at(2), UpdatedAt: at(4)}, got)
		got, err = s.UpdateSegment(ctx, store.Segment{ID: "seg_buyers", Name: "Recent buyers", Definition: buyersDef,
			Text: "v3", UpdatedAt: at(5)})
		require.NoError(t, err)
		require.Equal(t, 3, got.Version)
		require.Empty(t, got.Description)
		latest, err := s.GetSegment(ctx, "seg_buyers")
		require.NoError(t, err)
		require.Equal(t, got, latest)

		vs, err := s.SegmentVersions(ctx, "seg_buyers")
		require.NoError(t, err)
		require.Equal(t, []store.SegmentVersion{
			{SegmentID: "seg_buyers", Version: 1, Definition: buyersDef, Text: `performed "Order Completed" within 30d`, CreatedAt: at(2)},
			{SegmentID: "seg_buyers", Version: 2, Definition: v2Def, Text: "v2", CreatedAt: at(4)},
			{SegmentID: "seg_buyers", Version: 3, Definition: buyersDef, Text: "v3", CreatedAt: at(5)},
		}, vs)

		_, err = s.UpdateSegment(ctx, store.Segment{ID: "seg_nosuch", Name: "x", Definition: vipDef, UpdatedAt: at(5)})
		require.ErrorIs(t, err, store.ErrNotFound)
		_, err = s.UpdateSegment(ctx, store.Segment{ID: "seg_buyers", Name: "VIP", Definition: vipDef, UpdatedAt: at(6)})
		require.ErrorIs(t, err, store.ErrConflict, "renaming onto a live name")
		vs, err = s.SegmentVersions(ctx, "seg_buyers")
		require.NoError(t, err)
		require.Len(t, vs, 3, "a failed update adds no version")
		_, err = s.SegmentVersions(ctx, "seg_nosuch")
		require.ErrorIs(t, err, store.ErrNotFound)
	})

	t.Run("soft delete hides and frees the name", func(t *testing.T) {
		_, err := s.CreateSegment(ctx, store.Segment{ID: "seg_tmp", Name: "Temp", Definition: vipDef, CreatedAt: at(7)})
		require.NoError(t, err)
		require.NoError(t, s.DeleteSegment(ctx, "seg_tmp", at(8)))
		require.ErrorIs(t, s.DeleteSegment(ctx, "seg_tmp", at(9)), store.ErrNotFound, "already deleted")
		require.ErrorIs(t, s.DeleteSegment(ctx, "seg_nosuch", at(9)), store.ErrNotFound)

		got, err := s.GetSegment(ctx, "seg_tmp")
		require.NoError(t, err, "a deleted segment can still be read")
		require.NotNil(t, got.DeletedAt)
		require.Equal(t, at(8), *got.DeletedAt)
		list, err := s.ListSegments(ctx)
		require.NoError(t, err)
		for _, seg := range list {
			require.NotEqual(t, "seg_tmp", seg.ID)
		}
		_, err = s.UpdateSegment(ctx, store.Segment{ID: "seg_tmp", Name: "Temp", Definition: vipDef, UpdatedAt: at(9)})
		require.ErrorIs(t, err, store.ErrNotFound, "deleted segments take no new versions")
		vs, err := s.SegmentVersions(ctx, "seg_tmp")
		require.NoError(t, err)
		require.Len(t, vs, 1, "versions outlive the delete")

		_, err = s.CreateSegment(ctx, store.Segment{ID: "seg_tmp2", Name: "Temp", Definition: vipDef, CreatedAt: at(10)})
		require.NoError(t, err, "the name of a deleted segment is free again")
	})

	t.Run("reset keeps segments", func(t *testing.T) {
		require.NoError(t, s.Reset(ctx))
		got, err := s.GetSegment(ctx, "seg_vip")
		require.NoError(t, err)
		require.Equal(t, vip, got)
	})
}
