package pipeline

import (
	"sync"
	"sync/atomic"
)

// parallelMin is the fewest items per goroutine worth starting one for.
const parallelMin = 64

// parallel calls fn(0..n-1), on up to cfg.EvalWorkers goroutines when n is
// large enough to pay for them. A batch's profiles are evaluated this way
// between gathering what they read (the caches are the processor
// goroutine's alone) and applying the results in profile order: each
// evaluation reads only its own profile's data, and lazily decoded event
// bodies decode once under a sync.Once (segment.LazyEventFrom).
func (p *Processor) parallel(n int, fn func(i int)) {
	workers := min(p.cfg.EvalWorkers, n/parallelMin)
	if workers < 2 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				fn(i)
			}
		})
	}
	wg.Wait()
}
