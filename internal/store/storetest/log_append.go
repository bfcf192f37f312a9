package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

func runAppend(t *testing.T, open Opener) {
	t.Run("assigns increasing seqs and round-trips every field", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		ctx := t.Context()
		first := []*event.Event{newEvent("web", "m1", 1), newEvent("web", "m2", 2), newEvent("app", "m1", 3)}
		first[1].SentAt = time.Time{} // absent optional times stay zero
		first[2].Type, first[2].GroupID, first[2].PreviousID, first[2].Name = event.Group, "g-1", "prev", ""
		first[2].OriginalTimestamp = at(2)
		dup, err := l.Append(ctx, store.AppendBatch{Events: first})
		require.NoError(t, err)
		require.Equal(t, []bool{false, false, false}, dup)
		for i, e := range first {
			require.Equal(t, int64(i+1), e.Seq)
		}
		second := []*event.Event{newEvent("web", "m3", 4)}
		_, err = l.Append(ctx, store.AppendBatch{Events: second})
		require.NoError(t, err)
		require.Equal(t, int64(4), second[0].Seq)

		got, err := l.Read(ctx, 0, 10)
		require.NoError(t, err)
		require.Equal(t, append(first, second...), got)
	})

	t.Run("counters", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		ctx := t.Context()
		st, err := l.Stats(ctx)
		require.NoError(t, err)
		require.Equal(t, store.LogStats{}, st)
		_, err = l.Append(ctx, store.AppendBatch{
			Events:     []*event.Event{newEvent("web", "a", 1), newEvent("web", "a", 2), newEvent("web", "b", 3)},
			Rejections: []store.Rejection{{SourceID: "web", Reason: "missing_identifier", Detail: "d", ReceivedAt: at(1)}},
		})
		require.NoError(t, err)
		_, err = l.Append(ctx, store.AppendBatch{Events: []*event.Event{newEvent("web", "b", 4), newEvent("web", "c", 5)}})
		require.NoError(t, err)
		st, err = l.Stats(ctx)
		require.NoError(t, err)
		require.Equal(t, store.LogStats{Received: 5, Stored: 3, Duplicates: 2, Rejected: 1, Head: 3}, st)
	})

	t.Run("seqs are never reused after the newest event is erased", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		ctx := t.Context()
		_, err := l.Append(ctx, store.AppendBatch{Events: []*event.Event{newEvent("web", "a", 1), newEvent("web", "b", 2)}})
		require.NoError(t, err)
		n, err := l.Erase(ctx, []int64{2}, nil)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		e := newEvent("web", "c", 3)
		_, err = l.Append(ctx, store.AppendBatch{Events: []*event.Event{e}})
		require.NoError(t, err)
		require.Equal(t, int64(3), e.Seq)
		st, err := l.Stats(ctx)
		require.NoError(t, err)
		require.Equal(t, int64(3), st.Head)
	})

	t.Run("concurrent appends get distinct gap-free seqs", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		ctx := t.Context()
		const writers, batches, size = 4, 8, 5
		var wg sync.WaitGroup
		errs := make(chan error, writers*batches)
		for w := range writers {
			wg.Go(func() {
				for b := range batches {
					evs := make([]*event.Event, size)
					for i := range evs {
						evs[i] = newEvent("web", fmt.Sprintf("w%d-b%d-e%d", w, b, i), i)
					}
					if _, err := l.Append(ctx, store.AppendBatch{Events: evs}); err != nil {
						errs <- err
						return
					}
					if _, err := l.Read(ctx, 0, 1); err != nil { // readers run alongside the writers
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		got, err := l.Read(ctx, 0, writers*batches*size+10)
		require.NoError(t, err)
		require.Len(t, got, writers*batches*size)
		for i, e := range got {
			require.Equal(t, int64(i+1), e.Seq)
		}
		st, err := l.Stats(ctx)
		require.NoError(t, err)
		require.Equal(t, store.LogStats{Received: writers * batches * size, Stored: writers * batches * size,
			Head: writers * batches * size}, st)
	})

	t.Run("empty batch and rejections-only batch", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		ctx := t.Context()
		dup, err := l.Append(ctx, store.AppendBatch{})
		require.NoError(t, err)
		require.Empty(t, dup)
		_, err = l.Append(ctx, store.AppendBatch{Rejections: []store.Rejection{{SourceID: "web", Reason: "r", ReceivedAt: at(1)}}})
		require.NoError(t, err)
		st, err := l.Stats(ctx)
		require.NoError(t, err)
		require.Equal(t, store.LogStats{Rejected: 1}, st)
	})

	t.Run("event without message id is refused and nothing is written", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		ctx := t.Context()
		bad := newEvent("web", "", 2)
		_, err := l.Append(ctx, store.AppendBatch{Events: []*event.Event{newEvent("web", "a", 1), bad}})
		require.Error(t, err)
		got, err := l.Read(ctx, 0, 10)
		require.NoError(t, err)
		require.Empty(t, got)
	})
}

func runDedupe(t *testing.T, open Opener) {
	type offer struct {
		src, msg string
		recv     int       // ReceivedAt = at(recv)
		since    time.Time // DedupeSince of the batch
	}
	cases := []struct {
		name    string
		batches [][]offer
		want    [][]bool
	}{
		{
			name:    "within one batch",
			batches: [][]offer{{{"web", "a", 1, time.Time{}}, {"web", "a", 1, time.Time{}}, {"web", "b", 1, time.Time{}}}},
			want:    [][]bool{{false, true, false}},
		},
		{
			name:    "within one batch even when the record would be outside the window",
			batches: [][]offer{{{"web", "a", 1, at(5)}, {"web", "a", 1, at(5)}}},
			want:    [][]bool{{false, true}},
		},
		{
			name:    "across batches",
			batches: [][]offer{{{"web", "a", 1, time.Time{}}}, {{"web", "a", 2, time.Time{}}, {"web", "c", 2, time.Time{}}}},
			want:    [][]bool{{false}, {true, false}},
		},
		{
			name:    "same message id from different sources is not a duplicate",
			batches: [][]offer{{{"web", "a", 1, time.Time{}}}, {{"app", "a", 1, time.Time{}}}},
			want:    [][]bool{{false}, {false}},
		},
		{
			name: "a record older than DedupeSince expires and is replaced",
			batches: [][]offer{
				{{"web", "a", 1, time.Time{}}},
				{{"web", "a", 10, at(5)}}, // record received at(1) < at(5): stored again
				{{"web", "a", 11, at(5)}}, // record now received at(10) >= at(5): duplicate
			},
			want: [][]bool{{false}, {false}, {true}},
		},
		{
			name:    "a record at exactly DedupeSince still counts",
			batches: [][]offer{{{"web", "a", 5, time.Time{}}}, {{"web", "a", 6, at(5)}}},
			want:    [][]bool{{false}, {true}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, _ := open(t)
			ctx := t.Context()
			var stored, dups int64
			for bi, batch := range tc.batches {
				b := store.AppendBatch{}
				for i, o := range batch {
					e := newEvent(o.src, o.msg, bi*10+i)
					e.ReceivedAt = at(o.recv)
					b.Events = append(b.Events, e)
					b.DedupeSince = o.since
				}
				dup, err := l.Append(ctx, b)
				require.NoError(t, err)
				require.Equal(t, tc.want[bi], dup, "batch %d", bi)
				for i, d := range dup {
					if d {
						dups++
						require.Zero(t, b.Events[i].Seq, "a duplicate gets no seq")
						continue
					}
					stored++
					require.Equal(t, stored, b.Events[i].Seq)
				}
			}
			st, err := l.Stats(ctx)
			require.NoError(t, err)
			require.Equal(t, stored, st.Stored)
			require.Equal(t, dups, st.Duplicates)
		})
	}

	t.Run("PruneDedupe forgets old records", func(t *testing.T) {
		t.Parallel()
		l, _ := open(t)
		ctx := t.Context()
		var evs []*event.Event
		for i, msg := range []string{"a", "b", "c"} {
			e := newEvent("web", msg, i)
			e.ReceivedAt = at(i * 10)
			evs = append(evs, e)
		}
		_, err := l.Append(ctx, store.AppendBatch{Events: evs})
		require.NoError(t, err)
		n, err := l.PruneDedupe(ctx, at(15)) // forgets a (at 0) and b (at 10)
		require.NoError(t, err)
		require.Equal(t, int64(2), n)
		dup, err := l.Append(ctx, store.AppendBatch{Events: []*event.Event{clone(evs[0]), clone(evs[1]), clone(evs[2])}})
		require.NoError(t, err)
		require.Equal(t, []bool{false, false, true}, dup)
		n, err = l.PruneDedupe(ctx, at(0)) // nothing is older than the oldest record
		require.NoError(t, err)
		require.Zero(t, n)
	})
}
