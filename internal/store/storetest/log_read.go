package storetest

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// appendN appends n events web/m1..mn in one batch and returns them.
func appendN(t *testing.T, l store.Log, n int) []*event.Event {
	t.Helper()
	evs := make([]*event.Event, n)
	for i := range evs {
		evs[i] = newEvent("web", fmt.Sprintf("m%d", i+1), i+1)
	}
	_, err := l.Append(t.Context(), store.AppendBatch{Events: evs})
	require.NoError(t, err)
	return evs
}

func runRead(t *testing.T, open Opener) {
	t.Run("Read pages in seq order", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		ctx := t.Context()
		evs := appendN(t, l, 7)
		var got []*event.Event
		after := int64(0)
		for {
			page, err := l.Read(ctx, after, 3)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page), 3)
			if len(page) == 0 {
				break
			}
			got = append(got, page...)
			after = page[len(page)-1].Seq
		}
		require.Equal(t, evs, got)
		page, err := l.Read(ctx, 7, 10)
		require.NoError(t, err)
		require.Empty(t, page)
		_, err = l.Read(ctx, 0, 0)
		require.Error(t, err, "a non-positive limit is refused")
	})

	t.Run("Get skips missing seqs and returns seq order", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		ctx := t.Context()
		evs := appendN(t, l, 5)
		got, err := l.Get(ctx, []int64{5, 99, 2, 2, 0})
		require.NoError(t, err)
		require.Equal(t, []*event.Event{evs[1], evs[4]}, got)
		got, err = l.Get(ctx, nil)
		require.NoError(t, err)
		require.Empty(t, got)
	})

	t.Run("Get of many seqs", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		evs := appendN(t, l, 1200)
		seqs := make([]int64, 0, len(evs))
		for i := len(evs) - 1; i >= 0; i-- {
			seqs = append(seqs, evs[i].Seq)
		}
		got, err := l.Get(t.Context(), seqs)
		require.NoError(t, err)
		require.Equal(t, evs, got)
	})
}

func runRejections(t *testing.T, open Opener) {
	t.Parallel()
	l, _ := open(t)
	ctx := t.Context()
	var all []store.Rejection
	for i := range 5 {
		src := "web"
		if i%2 == 1 {
			src = "app"
		}
		r := store.Rejection{
			SourceID: src, MessageID: fmt.Sprintf("m%d", i), Reason: "missing_identifier",
			Detail: "event has neither userId nor anonymousId; set one", Field: fmt.Sprintf("batch[%d].userId", i),
			Excerpt: fmt.Sprintf(`{"type":"track","n":%d}`, i), ReceivedAt: at(i),
		}
		_, err := l.Append(ctx, store.AppendBatch{Rejections: []store.Rejection{r}})
		require.NoError(t, err)
		all = append(all, r)
	}
	got, err := l.Rejections(ctx, "", 0, 10)
	require.NoError(t, err)
	require.Len(t, got, 5)
	for i, r := range got {
		want := all[4-i]
		want.ID = r.ID
		require.Equal(t, want, r)
		if i > 0 {
			require.Less(t, r.ID, got[i-1].ID, "newest first")
		}
	}

	t.Run("cursor", func(t *testing.T) {
		page1, err := l.Rejections(ctx, "", 0, 2)
		require.NoError(t, err)
		page2, err := l.Rejections(ctx, "", page1[1].ID, 2)
		require.NoError(t, err)
		page3, err := l.Rejections(ctx, "", page2[1].ID, 2)
		require.NoError(t, err)
		require.Equal(t, got, append(append(page1, page2...), page3...))
	})

	t.Run("by source", func(t *testing.T) {
		web, err := l.Rejections(ctx, "web", 0, 10)
		require.NoError(t, err)
		require.Equal(t, []store.Rejection{got[0], got[2], got[4]}, web)
		web, err = l.Rejections(ctx, "web", got[0].ID, 1)
		require.NoError(t, err)
		require.Equal(t, []store.Rejection{got[2]}, web)
		none, err := l.Rejections(ctx, "nosuch", 0, 10)
		require.NoError(t, err)
		require.Empty(t, none)
	})
}
