package projection

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
)

// A segment backfill evaluates every profile's history; the projection
// serves it the event rows from memory, and the payload values its filters
// and aggregates read (segment.Needs.Columns) from columns: one value per
// event of a name, kept per profile. A column is filled lazily: the first
// backfill that asks for it reads, page by page, the payloads of the events
// it serves (what reading the store would cost, without the timeline
// query), and keeps their values, so the next backfill over the same
// property — an edit, another segment — reads no body. Events that arrive
// later are read the same way the first time a backfill needs them. A
// column costs 24 bytes per event of its name that a backfill has read
// (equal scalar values share one box; see intern); bodies are never kept.

// colChunk is how many payloads one log read fetches for columns.
const colChunk = 2000

// column holds values of one payload path of the events of its name, per
// profile slot; a slot's list holds the events read so far, by seq.
type column struct {
	def    segment.Column
	vals   [][]seqValue // slot → values read, ascending seq
	shared map[any]any  // scalar value → the one boxed copy kept (intern)
}

// internMax bounds the distinct scalar values a column shares: a value
// stored as an interface is boxed apart unless it is shared, so a
// categorical property costs its 24-byte entry per event and not a box.
const internMax = 1 << 16

// intern returns the shared box of a scalar v; p.mu is held.
func (c *column) intern(v any) any {
	switch v.(type) {
	case string, float64, bool:
	default:
		return v // nil, objects and arrays (not comparable) as they are
	}
	if s, ok := c.shared[v]; ok {
		return s
	}
	if len(c.shared) < internMax {
		if c.shared == nil {
			c.shared = map[any]any{}
		}
		c.shared[v] = v
	}
	return v
}

type seqValue struct {
	seq int64
	val any // nil: absent
}

// value returns the value of seq in slot, and whether it was read.
func (c *column) value(slot int32, seq int64) (any, bool) {
	if int(slot) >= len(c.vals) {
		return nil, false
	}
	list := c.vals[slot]
	i, ok := slices.BinarySearchFunc(list, seq, func(v seqValue, s int64) int { return cmp.Compare(v.seq, s) })
	if !ok {
		return nil, false
	}
	return list[i].val, true
}

// add keeps seq's value in slot.
func (c *column) add(slot int32, seq int64, v any) {
	if int(slot) >= len(c.vals) {
		c.vals = append(c.vals, make([][]seqValue, int(slot)+1-len(c.vals))...)
	}
	list := c.vals[slot]
	i, ok := slices.BinarySearchFunc(list, seq, func(v seqValue, s int64) int { return cmp.Compare(v.seq, s) })
	if ok {
		list[i].val = v
		return
	}
	c.vals[slot] = slices.Insert(list, i, seqValue{seq: seq, val: v})
}

// SegmentEvents returns, for each profile of ids that has any, the
// committed events needs names (every event with needs.AnyEvent) in time
// order, each carrying only the payload values of needs.Columns — what
// segment evaluation reads of them — reading from the log the values it
// has not kept yet. It first catches up with the store. False, without an
// error, when the projection cannot answer now without waiting: not loaded
// yet, loading, refreshing, or an analysis holding it while new events
// must be added; the caller reads the store instead.
func (p *Projection) SegmentEvents(ctx context.Context, ids []string, needs segment.Needs) (map[string][]segment.Event, bool, error) {
	if !p.refresh.TryLock() {
		return nil, false, nil
	}
	defer p.refresh.Unlock()
	if !p.loaded {
		return nil, false, nil
	}
	if ok, err := p.refreshLocked(ctx, true); !ok || err != nil {
		return nil, false, err
	}
	if ok, err := p.addColumns(needs.Columns); !ok || err != nil {
		return nil, false, err
	}
	// Refreshes wait for p.refresh and erasures run between the processor's
	// steps, so the page's slots hold still until the end.
	if !p.mu.TryRLock() {
		return nil, false, nil
	}
	pg := p.pageOf(ids, needs)
	p.mu.RUnlock()
	if err := p.readMissing(ctx, pg); err != nil {
		return nil, false, err
	}
	p.mu.RLock() // only brief holders can be waiting: refreshes need p.refresh
	defer p.mu.RUnlock()
	return pg.events(p), true, nil
}

// page is what SegmentEvents serves: the profiles' slots, the events kept,
// and the values read for it that the columns did not hold.
type page struct {
	ids     []string
	slots   []int32
	keep    []bool          // name id → needed
	cols    [][]*column     // name id → its columns needed
	all     bool            // every event
	missing []missingValue  // values to read from the log
	read    map[int64][]any // seq → values of its name's needed columns, in cols order
}

type missingValue struct {
	seq  int64
	slot int32
	name uint32
}

// pageOf resolves ids and lists the column values their events need that
// the columns do not hold; p.mu is held for reading.
func (p *Projection) pageOf(ids []string, needs segment.Needs) *page {
	pg := &page{ids: ids, slots: make([]int32, len(ids)), keep: make([]bool, len(p.names.strs)),
		cols: make([][]*column, len(p.names.strs)), all: needs.AnyEvent}
	for _, n := range needs.Events {
		if id, ok := p.names.lookup(n); ok {
			pg.keep[id] = true
		}
	}
	for _, c := range needs.Columns {
		if id, ok := p.names.lookup(c.Event); ok {
			pg.cols[id] = append(pg.cols[id], p.columnOf(id, c))
		}
	}
	for i, id := range ids {
		pg.slots[i] = -1
		s, ok := p.index[id]
		if !ok {
			continue
		}
		slot := p.find(s)
		pg.slots[i] = slot
		for _, x := range p.events[slot] {
			for _, c := range pg.cols[x.name] {
				if _, ok := c.value(slot, x.seq); !ok {
					pg.missing = append(pg.missing, missingValue{seq: x.seq, slot: slot, name: x.name})
					break
				}
			}
		}
	}
	return pg
}

// readMissing reads the payloads of the values pg misses and keeps them in
// the columns (when no analysis holds the projection; pg has them anyway).
func (p *Projection) readMissing(ctx context.Context, pg *page) error {
	if len(pg.missing) == 0 {
		return nil
	}
	seqs := make([]int64, len(pg.missing))
	for i, m := range pg.missing {
		seqs[i] = m.seq
	}
	slices.Sort(seqs)
	pg.read = make(map[int64][]any, len(seqs))
	for chunk := range slices.Chunk(seqs, colChunk) {
		evs, err := p.log.Get(ctx, chunk)
		if err != nil {
			return fmt.Errorf("projection: read %d payloads for columns: %w", len(chunk), err)
		}
		for _, le := range evs {
			se, err := segment.EventFrom(le)
			if err != nil {
				return fmt.Errorf("projection: column values of event %d: %w", le.Seq, err)
			}
			id, ok := p.names.lookup(le.Name)
			if !ok {
				continue
			}
			vals := make([]any, len(pg.cols[id]))
			for i, c := range pg.cols[id] {
				vals[i], _ = segment.ColumnValue(c.def, &se)
			}
			pg.read[le.Seq] = vals
		}
	}
	if !p.mu.TryLock() {
		return nil // served from pg.read; kept by a later call
	}
	defer p.mu.Unlock()
	for _, m := range pg.missing {
		vals := pg.read[m.seq] // nil: not in the log (erased): absent
		for i, c := range pg.cols[m.name] {
			var v any
			if vals != nil {
				v = vals[i]
			}
			c.add(m.slot, m.seq, c.intern(v))
		}
	}
	return nil
}

// events builds the page's answer from the slots pageOf resolved; p.mu is
// held for reading.
func (pg *page) events(p *Projection) map[string][]segment.Event {
	out := make(map[string][]segment.Event, len(pg.ids))
	defs := make([][]segment.Column, len(pg.cols)) // name id → its columns, shared by its events
	for name, cs := range pg.cols {
		for _, c := range cs {
			defs[name] = append(defs[name], c.def)
		}
	}
	var vals []any // the page's values, handed out in runs (ColumnEvent keeps them)
	for i, id := range pg.ids {
		slot := pg.slots[i]
		if slot < 0 {
			continue
		}
		es := p.events[slot]
		n := len(es)
		if !pg.all {
			n = 0
			for _, x := range es {
				if pg.keep[x.name] {
					n++
				}
			}
		}
		if n == 0 {
			continue
		}
		list := make([]segment.Event, 0, n)
		for _, x := range es {
			if !pg.all && !pg.keep[x.name] {
				continue
			}
			e := segment.Event{Type: p.types.strs[x.typ], Name: p.names.strs[x.name], Timestamp: time.UnixMicro(x.ts).UTC(),
				Channel: p.channels.strs[x.ch], Source: p.sources.strs[x.src]}
			if cs := pg.cols[x.name]; len(cs) > 0 {
				if cap(vals)-len(vals) < len(cs) {
					vals = make([]any, 0, max(1024, len(cs)))
				}
				start := len(vals)
				read := pg.read[x.seq]
				for k, c := range cs {
					v, ok := c.value(slot, x.seq)
					if !ok && read != nil {
						v = read[k]
					}
					vals = append(vals, v)
				}
				e = segment.ColumnEvent(e, defs[x.name], vals[start:len(vals):len(vals)])
			}
			list = append(list, e)
		}
		out[id] = list
	}
	return out
}

// columnOf returns the column of def under the interned name id; p.mu is
// held and addColumns added it.
func (p *Projection) columnOf(name uint32, def segment.Column) *column {
	for _, c := range p.colsOf[name] {
		if c.def == def {
			return c
		}
	}
	panic(fmt.Sprintf("projection: column %+v not added", def))
}

// addColumns adds the (empty) columns of defs the projection does not keep
// yet; false when that would wait for an analysis.
func (p *Projection) addColumns(defs []segment.Column) (bool, error) {
	if len(defs) == 0 {
		return true, nil
	}
	if !p.mu.TryRLock() {
		return false, nil
	}
	missing := false
	for _, d := range defs {
		id, ok := p.names.lookup(d.Event)
		if !ok || !slices.ContainsFunc(p.colsOf[id], func(c *column) bool { return c.def == d }) {
			missing = true
			break
		}
	}
	p.mu.RUnlock()
	if !missing {
		return true, nil
	}
	if !p.mu.TryLock() {
		return false, nil
	}
	defer p.mu.Unlock()
	for _, d := range defs {
		id, err := p.names.id(d.Event) // interned now, so refreshes keep it
		if err != nil {
			return false, err
		}
		if !slices.ContainsFunc(p.colsOf[id], func(c *column) bool { return c.def == d }) {
			if p.colsOf == nil {
				p.colsOf = map[uint32][]*column{}
			}
			p.colsOf[id] = append(p.colsOf[id], &column{def: d})
		}
	}
	return true, nil
}

// mergeValues moves the loser's kept values to the winner; p.mu is held.
func (p *Projection) mergeValues(w, l int32) {
	for _, cs := range p.colsOf {
		for _, c := range cs {
			if int(l) >= len(c.vals) || len(c.vals[l]) == 0 {
				continue
			}
			for _, v := range c.vals[l] {
				c.add(w, v.seq, v.val)
			}
			c.vals[l] = nil
		}
	}
}

// dropValues forgets the values kept for slot (an erasure); p.mu is held.
func (p *Projection) dropValues(slot int32) {
	for _, cs := range p.colsOf {
		for _, c := range cs {
			if int(slot) < len(c.vals) {
				c.vals[slot] = nil
			}
		}
	}
}

// lock takes p.mu, or with try only if that needs no wait.
func (p *Projection) lock(try bool) bool {
	if try {
		return p.mu.TryLock()
	}
	p.mu.Lock()
	return true
}
