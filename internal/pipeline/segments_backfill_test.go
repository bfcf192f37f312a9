package pipeline

import (
	"fmt"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/stretchr/testify/require"
)

// A new segment is computed over the stored profiles a page at a time,
// reports its progress, and resumes after a restart where it stopped.
func TestBackfillRunsInPagesAndResumes(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := newSegHarness(t)
	p := h.processor(t, 2000)
	const n = 1200 // three backfill pages
	evs := make([]*event.Event, 0, n)
	for i := range n {
		name := "Product Viewed"
		if i%3 == 0 {
			name = "Order Completed"
		}
		evs = append(evs, track(fmt.Sprintf("u%04d", i), name, fmt.Sprintf("m%d", i), t0.Add(-time.Duration(i)*time.Second)))
	}
	h.append(t, evs...)
	require.NoError(t, p.CatchUp(ctx))

	h.segment(t, "buyers", `performed "Order Completed"`)
	require.NoError(t, p.reloadSegments(ctx, "buyers"))
	done, total, running := p.BackfillProgress("buyers")
	require.True(t, running)
	require.Equal(t, int64(0), done)
	require.Equal(t, int64(n), total)

	filled, err := p.backfillStep(ctx)
	require.NoError(t, err)
	require.Equal(t, backfillPage, filled)
	done, _, running = p.BackfillProgress("buyers")
	require.True(t, running)
	require.Equal(t, int64(backfillPage), done)

	// A restart resumes after the first page instead of starting over.
	p = h.processor(t, 2000)
	done, _, running = p.BackfillProgress("buyers")
	require.True(t, running, "the job survived the restart")
	require.Equal(t, int64(backfillPage), done)
	require.NoError(t, p.CatchUp(ctx))
	_, _, running = p.BackfillProgress("buyers")
	require.False(t, running)
	size, err := h.state.CountSegmentMembers(ctx, "buyers")
	require.NoError(t, err)
	require.Equal(t, int64(n/3), size)
	_, err = h.state.GetConfig(ctx, backfillConfigKind, "buyers")
	require.Error(t, err, "the finished job is forgotten")
}
