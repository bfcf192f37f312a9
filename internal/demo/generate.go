package demo

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"time"
)

// customer is the generation state of one person: latent attributes, the plan
// (built at the first activity, released after the last), and a few flags
// that events change.
type customer struct {
	l       latent
	plan    []activity
	cursor  int32
	seq     uint32 // events generated so far (part of the messageId)
	install uint32 // app install (plan time) or never
	first   uint32 // first order (plan time) or never
	idMask  uint8  // devices whose anonymousId was linked to the userId
	unsub   bool   // unsubscribed from email
	planned bool
}

// appDev is the device index of the app; 0..2 are web browsers.
const appDev = 3

// heapEntry orders customers by the key of their next activity.
type heapEntry struct {
	at  uint32 // key (plan time)
	idx int32
}

func (a heapEntry) less(b heapEntry) bool { return a.at < b.at || (a.at == b.at && a.idx < b.idx) }

// pending is an encoded line waiting for every earlier line to be written.
type pending struct {
	ts  int64
	key uint64 // customer<<32 | seq: a total, deterministic order for equal ts
	buf []byte
}

func (a *pending) less(b *pending) bool { return a.ts < b.ts || (a.ts == b.ts && a.key < b.key) }

// generator streams the data set. Activities are expanded in key order (the
// earliest time any of their events can have); encoded lines wait in a
// min-heap until the next key passes them, so output is globally sorted.
type generator struct {
	w         *world
	out       *bufio.Writer
	customers []customer
	heap      []heapEntry
	pend      []pending
	free      [][]byte

	g   *rng // activity stream
	og  *rng // order stream
	aux *rng // refunds, vendors, partner
	pl  planner

	j        jsonWriter
	c        *customer
	ci       int
	anchorMs int64
	keyMs    int64 // events of the current activity may not precede this
	evTs     int64
	evKind   evKind
	evSrc    sourceID
	evKey    uint64
	scratch  []byte
	utmBuf   utm

	counts    [numKinds]int64
	srcCounts [numSources]int64
	events    int64
	bytes     int64
	firstTs   int64
	lastTs    int64
	clamped   int64
	err       error
}

// Generate writes the data set for cfg to w as JSONL, one
// {"source":"<name>","event":{…}} per line, ordered by event timestamp. It
// holds O(customers) state, never the events themselves.
func Generate(ctx context.Context, cfg Config, w io.Writer) (Stats, error) {
	cfg, err := cfg.normalized()
	if err != nil {
		return Stats{}, err
	}
	g := newGenerator(cfg, w)
	if err := g.run(ctx); err != nil {
		return g.stats(), err
	}
	if err := g.out.Flush(); err != nil {
		return g.stats(), fmt.Errorf("flush demo output: %w", err)
	}
	return g.stats(), nil
}

func newGenerator(cfg Config, w io.Writer) *generator {
	wd := newWorld(cfg)
	g := &generator{
		w:         wd,
		out:       bufio.NewWriterSize(w, 256<<10),
		customers: make([]customer, cfg.Customers),
		heap:      make([]heapEntry, 0, cfg.Customers),
		g:         newRNG(),
		og:        newRNG(),
		aux:       newRNG(),
		firstTs:   -1,
	}
	g.pl = planner{w: wd, g: newRNG()}
	for i := range g.customers {
		c := &g.customers[i]
		wd.drawLatent(g.g, i, &c.l)
		c.install, c.first = never, never
		g.heap = append(g.heap, heapEntry{at: firstKey(&c.l), idx: int32(i)})
	}
	for i := len(g.heap)/2 - 1; i >= 0; i-- {
		g.siftDown(i)
	}
	return g
}

func (g *generator) run(ctx context.Context) error {
	for n := 0; len(g.heap) > 0; n++ {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("generate demo data: %w", err)
			}
		}
		top := g.heap[0]
		c := &g.customers[top.idx]
		if !c.planned {
			g.planCustomer(c, int(top.idx))
		}
		a := c.plan[c.cursor]
		// Every event still to come lies at or after this key.
		g.keyMs = g.w.ms(top.at)
		if err := g.flush(g.keyMs); err != nil {
			return err
		}
		g.expand(c, int(top.idx), int(c.cursor), a)
		if g.err != nil {
			return g.err
		}
		c.cursor++
		if int(c.cursor) < len(c.plan) {
			g.heap[0].at = c.plan[c.cursor].key(firstKey(&c.l))
		} else {
			c.plan = nil
			last := len(g.heap) - 1
			g.heap[0] = g.heap[last]
			g.heap = g.heap[:last]
		}
		if len(g.heap) > 0 {
			g.siftDown(0)
		}
	}
	return g.flush(1<<62 - 1)
}

func (g *generator) planCustomer(c *customer, i int) {
	g.pl.l, g.pl.i = &c.l, i
	res := g.pl.plan()
	c.plan = slices.Clone(g.pl.acts)
	c.install, c.first = res.install, res.firstOrder
	c.planned = true
}

func (g *generator) siftDown(i int) {
	h := g.heap
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h[r].less(h[l]) {
			m = r
		}
		if !h[m].less(h[i]) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// push queues an encoded line.
func (g *generator) push(p pending) {
	g.pend = append(g.pend, p)
	h := g.pend
	i := len(h) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !h[i].less(&h[parent]) {
			break
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

// flush writes every queued line with a timestamp before limit (Unix ms).
func (g *generator) flush(limit int64) error {
	h := g.pend
	for len(h) > 0 && h[0].ts < limit {
		top := h[0]
		if _, err := g.out.Write(top.buf); err != nil {
			return fmt.Errorf("write demo output: %w", err)
		}
		g.bytes += int64(len(top.buf))
		g.events++
		if g.firstTs < 0 {
			g.firstTs = top.ts
		}
		g.lastTs = top.ts
		g.recycle(top.buf)
		last := len(h) - 1
		h[0] = h[last]
		h[last] = pending{}
		h = h[:last]
		n := len(h)
		for i := 0; ; {
			l := 2*i + 1
			if l >= n {
				break
			}
			m := l
			if r := l + 1; r < n && h[r].less(&h[l]) {
				m = r
			}
			if !h[m].less(&h[i]) {
				break
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	g.pend = h
	return nil
}

// recycle keeps a written line's buffer for reuse, within bounds, so that a
// burst of pending lines does not pin its memory for the rest of the run.
func (g *generator) recycle(b []byte) {
	if cap(b) <= 4096 && len(g.free) < 4096 {
		g.free = append(g.free, b[:0])
	}
}

func (g *generator) takeBuf() []byte {
	if n := len(g.free); n > 0 {
		b := g.free[n-1]
		g.free = g.free[:n-1]
		return b
	}
	return make([]byte, 0, 1024)
}

func (g *generator) stats() Stats {
	s := Stats{
		Events:    g.events,
		Customers: len(g.customers),
		Bytes:     g.bytes,
		ByEvent:   make(map[string]int64),
		BySource:  make(map[string]int64),
	}
	if g.firstTs >= 0 {
		s.First = time.UnixMilli(g.firstTs).UTC()
		s.Last = time.UnixMilli(g.lastTs).UTC()
	}
	for k, n := range g.counts {
		if n > 0 {
			s.ByEvent[kinds[k].name] += n
		}
	}
	for i, n := range g.srcCounts {
		if n > 0 {
			s.BySource[sourceSpecs[i].Name] = n
		}
	}
	return s
}
