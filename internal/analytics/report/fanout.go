package report

import (
	"runtime"
	"sync"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
)

// maxWorkers bounds the goroutines of one fan-out.
const maxWorkers = 4

// fanOut spreads histories over workers, each feeding its own part of an
// accumulator, for the reports whose work per customer is heavy (the
// journey map replays a stage model). Every customer goes to one part, so
// the parts' per-customer counts add up. Close waits for the workers; it
// must be called once feeding ends, even when the scan failed.
type fanOut[P funnel.Accumulator] struct {
	parts []P
	ch    chan *funnel.History
	pool  sync.Pool
	wg    sync.WaitGroup
	once  sync.Once
}

// newFanOut starts one worker per part.
func newFanOut[P funnel.Accumulator](parts []P) *fanOut[P] {
	f := &fanOut[P]{parts: parts, ch: make(chan *funnel.History, 64)}
	f.pool.New = func() any { return &funnel.History{} }
	for _, p := range parts {
		f.wg.Go(func() {
			for h := range f.ch {
				p.Add(h)
				f.pool.Put(h)
			}
		})
	}
	return f
}

// workers is how many parts a fan-out should have on this machine.
func workers() int { return max(1, min(runtime.GOMAXPROCS(0), maxWorkers)) }

// Add hands a copy of h to a worker (the scan reuses h).
func (f *fanOut[P]) Add(h *funnel.History) {
	c := f.pool.Get().(*funnel.History)
	c.ProfileID = h.ProfileID
	c.Events = append(c.Events[:0], h.Events...)
	f.ch <- c
}

// Close ends the feeding and waits for the workers.
func (f *fanOut[P]) Close() {
	f.once.Do(func() {
		close(f.ch)
		f.wg.Wait()
	})
}
