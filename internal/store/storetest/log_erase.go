package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

func runErase(t *testing.T, open Opener) {
	t.Run("by seq and by needle, with dedupe records and rejections", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		ctx := t.Context()
		evs := appendN(t, l, 6) // user-1 is in m1 and m4, user-2 in m2 and m5, user-0 in m3 and m6
		_, err := l.Append(ctx, store.AppendBatch{Rejections: []store.Rejection{
			{SourceID: "web", Reason: "r", Excerpt: `{"userId":"user-2"}`, ReceivedAt: at(1)},
			{SourceID: "web", Reason: "r", Excerpt: `{"userId":"someone"}`, ReceivedAt: at(2)},
			{SourceID: "web", Reason: "r", Detail: "bad email user-2", Excerpt: `{}`, ReceivedAt: at(3)},
		}})
		require.NoError(t, err)

		n, err := l.Erase(ctx, []int64{3, 999}, []string{"user-2"})
		require.NoError(t, err)
		require.Equal(t, 3, n) // m3 by seq, m2 and m5 by needle
		got, err := l.Read(ctx, 0, 10)
		require.NoError(t, err)
		require.Equal(t, []*event.Event{evs[0], evs[3], evs[5]}, got)
		got, err = l.Get(ctx, []int64{2, 3, 5})
		require.NoError(t, err)
		require.Empty(t, got)
		rej, err := l.Rejections(ctx, "", 0, 10)
		require.NoError(t, err)
		require.Len(t, rej, 1)
		require.JSONEq(t, `{"userId":"someone"}`, rej[0].Excerpt)

		// The dedupe records of erased events are gone: offering them again stores them.
		dup, err := l.Append(ctx, store.AppendBatch{Events: []*event.Event{clone(evs[1]), clone(evs[2]), clone(evs[0])}})
		require.NoError(t, err)
		require.Equal(t, []bool{false, false, true}, dup)
	})

	t.Run("a duplicate inside a batch leaves the later events' dedupe records on their seqs", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		ctx := t.Context()
		evs := appendN(t, l, 2)
		x, y, z := newEvent("web", "x", 7), newEvent("web", "y", 8), newEvent("web", "z", 9)
		dup, err := l.Append(ctx, store.AppendBatch{Events: []*event.Event{x, clone(evs[0]), y, clone(evs[1]), z}})
		require.NoError(t, err)
		require.Equal(t, []bool{false, true, false, true, false}, dup)
		require.Equal(t, []int64{3, 4, 5}, []int64{x.Seq, y.Seq, z.Seq})

		// Erasing by seq deletes the dedupe record written with that seq:
		// y and z can be offered again, x is still a duplicate.
		n, err := l.Erase(ctx, []int64{4, 5}, nil)
		require.NoError(t, err)
		require.Equal(t, 2, n)
		dup, err = l.Append(ctx, store.AppendBatch{Events: []*event.Event{clone(x), clone(y), clone(z)}})
		require.NoError(t, err)
		require.Equal(t, []bool{true, false, false}, dup)
	})

	t.Run("nothing to erase", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		appendN(t, l, 2)
		n, err := l.Erase(t.Context(), nil, []string{"nobody@example.com"})
		require.NoError(t, err)
		require.Zero(t, n)
		n, err = l.Erase(t.Context(), nil, nil)
		require.NoError(t, err)
		require.Zero(t, n)
	})

	t.Run("an empty needle is refused", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		appendN(t, l, 2)
		_, err := l.Erase(t.Context(), nil, []string{""})
		require.Error(t, err)
		got, err := l.Read(t.Context(), 0, 10)
		require.NoError(t, err)
		require.Len(t, got, 2)
	})
}
