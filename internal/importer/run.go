package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
)

// Sink receives batches of events. Send must not keep events (or their
// bytes) after it returns. With RunOptions.Concurrency > 1 it is called from
// several goroutines at once.
type Sink interface {
	Send(ctx context.Context, events []json.RawMessage) error
}

// Defaults of RunOptions.
const (
	DefaultBatchSize     = 500
	DefaultMaxBatchBytes = 500_000 // Segment's /v1/import request limit
)

// RunOptions tune Run. The zero value works.
type RunOptions struct {
	BatchSize     int   // rows per Send; default 500
	MaxBatchBytes int   // a batch is sent before it grows past this many bytes of events; default 500 000
	Concurrency   int   // Sends in flight at once; default 1 (batches arrive in file order)
	TotalBytes    int64 // size of the input, for the percentage and ETA; 0 if unknown
	// Rejects receives rejected rows as CSV (line, column, reason, row), with
	// a header written before the first one; nil discards them.
	Rejects io.Writer
	// OnReject is called for every rejected row, in file order.
	OnReject func(*RowError)
	// Progress is called after each batch is handed to the sink and once at the end (Done).
	Progress func(Progress)
	Clock    clock.Clock // default clock.Real{}
}

// Progress is a snapshot of a running import.
type Progress struct {
	Rows       int64 // rows the sink has accepted
	Rejected   int64 // rows rejected so far
	Line       int   // last line read
	BytesRead  int64 // input bytes consumed (compressed, if it is)
	BytesTotal int64 // RunOptions.TotalBytes
	Elapsed    time.Duration
	RowsPerSec float64       // Rows / Elapsed
	ETA        time.Duration // estimated time left, from bytes; 0 when unknown
	Done       bool
}

// Result sums up a finished (or stopped) import.
type Result struct {
	Rows      int64 // rows the sink accepted
	Rejected  int64
	Batches   int
	Lines     int // last line read
	BytesRead int64
	Elapsed   time.Duration
}

// batch is a run of rows read together: events packed in one arena, plus
// the rows rejected among them.
type batch struct {
	arena     []byte
	offs      []int
	events    []json.RawMessage
	rejects   []*RowError
	firstLine int
	lastLine  int
	bytesRead int64
	err       error // a fatal reader error after these rows
}

func (b *batch) reset() {
	b.arena, b.offs, b.events, b.rejects = b.arena[:0], b.offs[:0], b.events[:0], b.rejects[:0]
	b.firstLine, b.lastLine, b.err = 0, 0, nil
}

func (b *batch) add(line int, ev []byte) {
	if len(b.offs) == 0 {
		b.firstLine = line
	}
	b.offs = append(b.offs, len(b.arena))
	b.arena = append(b.arena, ev...)
}

// seal slices the arena into events once no more rows will be added.
func (b *batch) seal() {
	for i, off := range b.offs {
		end := len(b.arena)
		if i+1 < len(b.offs) {
			end = b.offs[i+1]
		}
		b.events = append(b.events, b.arena[off:end:end])
	}
}

// maxRejectsPerBatch bounds how many rejects wait in one batch.
const maxRejectsPerBatch = 1000

// Run reads every row of r and sends the events to sink in batches, while
// reading ahead on another goroutine. Rejected rows go to opts.Rejects and
// opts.OnReject and the import goes on. Run stops at the first fatal reader
// error, sink error or cancellation and returns it with the counts so far;
// because message ids are deterministic, running the same import again
// picks up where it stopped without duplicates.
func Run(ctx context.Context, r *Reader, sink Sink, opts RunOptions) (Result, error) {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := opts.Clock.Now()
	var res Result

	free := make(chan *batch, opts.Concurrency+2)
	ready := make(chan *batch, 2)
	var wg sync.WaitGroup
	wg.Go(func() { produce(ctx, r, opts, free, ready) })

	rejects := newRejectWriter(opts.Rejects)
	sem := make(chan struct{}, opts.Concurrency)
	var mu sync.Mutex // guards sent and sendErr
	var sent int64
	var sendErr error
	progress := func(line int, read int64, done bool) {
		if opts.Progress == nil {
			return
		}
		mu.Lock()
		p := Progress{Rows: sent, Rejected: res.Rejected, Line: line, BytesRead: read, BytesTotal: opts.TotalBytes, Done: done}
		mu.Unlock()
		p.Elapsed = opts.Clock.Now().Sub(start)
		if secs := p.Elapsed.Seconds(); secs > 0 {
			p.RowsPerSec = float64(p.Rows) / secs
		}
		if p.BytesTotal > 0 && p.BytesRead > 0 && !done {
			left := float64(p.BytesTotal-p.BytesRead) / float64(p.BytesRead)
			p.ETA = time.Duration(max(left, 0) * float64(p.Elapsed))
		}
		opts.Progress(p)
	}

	var err error
loop:
	for b := range ready {
		// b goes back to the free list once sent: read what we need first.
		lastLine, bytesRead, readErr := b.lastLine, b.bytesRead, b.err
		res.Lines, res.BytesRead = lastLine, bytesRead
		for _, re := range b.rejects {
			res.Rejected++
			if opts.OnReject != nil {
				opts.OnReject(re)
			}
			if werr := rejects.write(re); werr != nil {
				err = werr
				break loop
			}
		}
		if len(b.events) > 0 {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				err = context.Cause(ctx)
				break loop
			}
			mu.Lock()
			if sendErr != nil {
				err = sendErr
				mu.Unlock()
				<-sem
				break loop
			}
			mu.Unlock()
			res.Batches++
			wg.Go(func() {
				defer func() { <-sem }()
				serr := safely(func() error { return sink.Send(ctx, b.events) })
				mu.Lock()
				if serr == nil {
					sent += int64(len(b.events))
				} else if sendErr == nil {
					sendErr = fmt.Errorf("send rows of lines %d-%d: %w", b.firstLine, b.lastLine, serr)
					cancel()
				}
				mu.Unlock()
				recycle(free, b)
			})
		} else {
			recycle(free, b)
		}
		if readErr != nil {
			err = readErr
			break
		}
		progress(lastLine, bytesRead, false)
	}
	if err != nil {
		cancel()
	}
	for b := range ready { // let the producer finish
		recycle(free, b)
	}
	wg.Wait()
	if ferr := rejects.flush(); ferr != nil && err == nil {
		err = ferr
	}
	mu.Lock()
	res.Rows = sent
	if sendErr != nil && (err == nil || errors.Is(err, context.Canceled)) {
		err = sendErr
	}
	mu.Unlock()
	if err == nil {
		err = ctx.Err() // cancelled by the caller after the last batch was read
	}
	res.Elapsed = opts.Clock.Now().Sub(start)
	progress(res.Lines, res.BytesRead, true)
	return res, err
}

func (o RunOptions) withDefaults() RunOptions {
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.MaxBatchBytes <= 0 {
		o.MaxBatchBytes = DefaultMaxBatchBytes
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 1
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	return o
}

func recycle(free chan *batch, b *batch) {
	b.reset()
	select {
	case free <- b:
	default:
	}
}

// produce reads rows into batches and hands them over in file order. It
// closes ready when the input ends, a fatal error occurs or ctx is done.
func produce(ctx context.Context, r *Reader, opts RunOptions, free, ready chan *batch) {
	defer close(ready)
	defer func() {
		if p := recover(); p != nil { // a bug, not bad input: stop the import with an error
			select {
			case ready <- &batch{err: fmt.Errorf("read rows: panic: %v", p)}:
			case <-ctx.Done():
			}
		}
	}()
	take := func() *batch {
		select {
		case b := <-free:
			return b
		default:
			return &batch{}
		}
	}
	cur := take()
	hand := func(b *batch) bool {
		b.bytesRead = r.BytesRead()
		b.seal()
		select {
		case ready <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	var re *RowError // outside the loop: errors.As(&re) makes it escape
	for {
		row, err := r.Next()
		switch {
		case err == nil:
			if len(cur.offs) > 0 && (len(cur.offs) >= opts.BatchSize || len(cur.arena)+len(row.Event) > opts.MaxBatchBytes) {
				if !hand(cur) {
					return
				}
				cur = take()
			}
			cur.add(row.Line, row.Event)
			cur.lastLine = row.Line
		case errors.As(err, &re):
			cur.rejects = append(cur.rejects, re)
			cur.lastLine = re.Line
			if len(cur.rejects) >= maxRejectsPerBatch {
				if !hand(cur) {
					return
				}
				cur = take()
			}
		case errors.Is(err, io.EOF):
			hand(cur)
			return
		default:
			cur.err = err
			hand(cur)
			return
		}
	}
}

// safely runs f, turning a panic into an error so that a faulty sink fails
// the import instead of the process.
func safely(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return f()
}
