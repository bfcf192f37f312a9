package pipeline

import (
	"errors"
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

// concurrently runs reads that share nothing (each touches its own cache
// or its own result, and takes its own reader connection) at the same time,
// so a page's queries overlap on the machine's cores instead of following
// one another; with one evaluation worker it runs them in order. It
// returns their errors joined.
func (p *Processor) concurrently(reads ...func() error) error {
	if p.cfg.EvalWorkers < 2 || len(reads) < 2 {
		var errs []error
		for _, r := range reads {
			errs = append(errs, r())
		}
		return errors.Join(errs...)
	}
	errs := make([]error, len(reads))
	var wg sync.WaitGroup
	for i, r := range reads[1:] {
		wg.Go(func() { errs[i+1] = r() })
	}
	errs[0] = reads[0]()
	wg.Wait()
	return errors.Join(errs...)
}
