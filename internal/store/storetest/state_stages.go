package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

func runStages(t *testing.T, open Opener) {
	t.Parallel()
	_, s := open(t)
	ctx := t.Context()

	_, err := s.GetStageModel(ctx, store.StageModelDefault)
	require.ErrorIs(t, err, store.ErrNotFound, "no model before the first put")

	v1 := store.StageModel{ID: store.StageModelDefault, Version: 9, Default: "awareness", UpdatedAt: at(1),
		Stages: []store.Stage{{Name: "retention", SegmentID: "seg_b"}, {Name: "purchase", SegmentID: "seg_a"}}}
	got, err := s.PutStageModel(ctx, v1)
	require.NoError(t, err)
	v1.Version = 1
	require.Equal(t, v1, got, "the store assigns version 1 and keeps the stage order")

	v2 := store.StageModel{ID: store.StageModelDefault, Default: "none", UpdatedAt: at(2),
		Stages: []store.Stage{{Name: "purchase", SegmentID: "seg_a"}}}
	got, err = s.PutStageModel(ctx, v2)
	require.NoError(t, err)
	v2.Version = 2
	require.Equal(t, v2, got)
	got, err = s.GetStageModel(ctx, store.StageModelDefault)
	require.NoError(t, err)
	require.Equal(t, v2, got, "get returns the latest version")

	other, err := s.PutStageModel(ctx, store.StageModel{ID: "other", Default: "x", UpdatedAt: at(3)})
	require.NoError(t, err)
	require.Equal(t, 1, other.Version, "versions count per model")
	require.Empty(t, other.Stages)

	require.NoError(t, s.Reset(ctx))
	got, err = s.GetStageModel(ctx, store.StageModelDefault)
	require.NoError(t, err, "Reset keeps stage models (control plane)")
	require.Equal(t, v2, got)
}
