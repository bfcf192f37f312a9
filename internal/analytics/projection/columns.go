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
// event of a name, read from the log when a backfill first asks for it and
// kept current by every refresh after that. A column costs about 32 bytes
// per event of its name; bodies are never kept. A new column is built a
// bounded step per call (colBuildStep payloads), and serves once complete.

// colChunk is how many payloads a column build or fill reads per log read.
const colChunk = 2000

// column holds one payload value of every event of its name, by log seq.
type column struct {
	def  segment.Column
	seqs []int64 // ascending
	vals []any   // nil: absent (or erased)
	// todo are the events present when the column was added whose values
	// are still to be read (by seq); it serves once todo is empty.
	todo []pendingValue
}

// pendingValue is an event whose column values are still to be read: one
// a refresh added, or one present when its column was added (todo).
type pendingValue struct {
	seq  int64
	slot int32
	name uint32
}

func (c *column) value(seq int64) any {
	if i, ok := slices.BinarySearch(c.seqs, seq); ok {
		return c.vals[i]
	}
	return nil
}

// SegmentEvents returns, for each profile of ids that has any, the
// committed events needs names (every event with needs.AnyEvent) in time
// order, each carrying only the payload values of needs.Columns — what
// segment evaluation reads of them. It first catches up with the store.
// False, without an error, when the projection cannot answer now without
// waiting: not loaded yet, loading, refreshing or read by an analysis, or a
// column of needs still being built (each call advances its build by a
// step); the caller reads the store instead.
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
	if ok, err := p.ensureColumns(ctx, needs.Columns, true); !ok || err != nil {
		return nil, false, err
	}
	if !p.mu.TryRLock() {
		return nil, false, nil
	}
	defer p.mu.RUnlock()
	names := make([]bool, len(p.names.strs))
	for _, n := range needs.Events {
		if id, ok := p.names.lookup(n); ok {
			names[id] = true
		}
	}
	cols := make([][]*column, len(p.names.strs))
	for _, c := range needs.Columns {
		if id, ok := p.names.lookup(c.Event); ok {
			cols[id] = append(cols[id], p.columnOf(id, c))
		}
	}
	out := make(map[string][]segment.Event, len(ids))
	var defs []segment.Column
	var vals []any
	for _, id := range ids {
		s, ok := p.index[id]
		if !ok {
			continue
		}
		es := p.events[p.find(s)]
		n := len(es)
		if !needs.AnyEvent {
			n = 0
			for _, x := range es {
				if names[x.name] {
					n++
				}
			}
		}
		if n == 0 {
			continue
		}
		list := make([]segment.Event, 0, n)
		for _, x := range es {
			if !needs.AnyEvent && !names[x.name] {
				continue
			}
			e := segment.Event{Type: p.types.strs[x.typ], Name: p.names.strs[x.name], Timestamp: time.UnixMicro(x.ts).UTC(),
				Channel: p.channels.strs[x.ch], Source: p.sources.strs[x.src]}
			if cs := cols[x.name]; len(cs) > 0 {
				defs, vals = defs[:0], vals[:0]
				for _, c := range cs {
					defs, vals = append(defs, c.def), append(vals, c.value(x.seq))
				}
				e = segment.ColumnEvent(e, defs, vals)
			}
			list = append(list, e)
		}
		out[id] = list
	}
	return out, true, nil
}

// columnOf returns the column of def under the interned name id; p.mu is
// held and ensureColumns built it.
func (p *Projection) columnOf(name uint32, def segment.Column) *column {
	for _, c := range p.colsOf[name] {
		if c.def == def {
			return c
		}
	}
	panic(fmt.Sprintf("projection: column %+v not built", def))
}

// colBuildStep bounds the payloads one call reads for columns being built:
// over a large store a build spreads over many backfill pages (each read
// from the store meanwhile) instead of stalling the processor for minutes.
const colBuildStep = 20_000

// ensureColumns adds the columns of defs the projection does not keep yet
// and advances their build by up to one step of payload reads; true once
// every column of defs serves. A new column starts with every event of its
// name present (todo); events refreshes add after that are filled as for
// any column. p.refresh is held: only this goroutine moves a build. With
// try set it gives up (false) rather than wait for p.mu.
func (p *Projection) ensureColumns(ctx context.Context, defs []segment.Column, try bool) (bool, error) {
	if len(defs) == 0 {
		return true, nil
	}
	if !p.lock(try) {
		return false, nil
	}
	var building []*column
	for _, d := range defs {
		id, err := p.names.id(d.Event) // interned now, so refreshes keep it
		if err != nil {
			p.mu.Unlock()
			return false, err
		}
		i := slices.IndexFunc(p.colsOf[id], func(c *column) bool { return c.def == d })
		if i < 0 {
			p.addColumn(id, d)
			i = len(p.colsOf[id]) - 1
		}
		if c := p.colsOf[id][i]; len(c.todo) > 0 {
			building = append(building, c)
		}
	}
	p.mu.Unlock()
	budget := p.colStep
	if budget <= 0 {
		budget = colBuildStep
	}
	for _, c := range building {
		if budget <= 0 {
			return false, nil
		}
		step := c.todo[:min(budget, len(c.todo))]
		budget -= len(step)
		seqs := make([]int64, len(step))
		for i, v := range step {
			seqs[i] = v.seq
		}
		read := make(map[int64]*segment.Event, len(step))
		if err := p.readValues(ctx, seqs, func(_ string, seq int64, e *segment.Event) { read[seq] = e }); err != nil {
			return false, err
		}
		if !p.lock(try) {
			return false, nil // read again next time
		}
		for _, v := range step {
			if p.erased[v.slot] || p.erased[p.find(v.slot)] {
				continue // erased while the payload was read
			}
			var val any
			if e := read[v.seq]; e != nil {
				val, _ = segment.ColumnValue(c.def, e)
			}
			c.insert(v.seq, val)
		}
		c.todo = c.todo[len(step):]
		p.mu.Unlock()
	}
	for _, c := range building {
		if len(c.todo) > 0 {
			return false, nil
		}
	}
	return true, nil
}

// addColumn registers an empty column of def under the interned name id,
// with every event of that name to read; p.mu is held.
func (p *Projection) addColumn(id uint32, def segment.Column) {
	c := &column{def: def}
	for slot, es := range p.events {
		if p.parent[slot] >= 0 || p.erased[slot] {
			continue
		}
		for _, x := range es {
			if x.name == id {
				c.todo = append(c.todo, pendingValue{seq: x.seq, slot: int32(slot), name: id})
			}
		}
	}
	slices.SortFunc(c.todo, func(a, b pendingValue) int { return cmp.Compare(a.seq, b.seq) })
	if p.colsOf == nil {
		p.colsOf = map[uint32][]*column{}
	}
	p.colsOf[id] = append(p.colsOf[id], c)
}

// readValues reads the payloads of seqs from the log, a chunk at a time,
// and hands each decoded event to add.
func (p *Projection) readValues(ctx context.Context, seqs []int64, add func(name string, seq int64, e *segment.Event)) error {
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
			add(le.Name, le.Seq, &se)
		}
	}
	return nil
}

// fillColumns reads the column values of the events refreshes added; with
// try set it gives up (false) rather than wait for p.mu. p.refresh is held.
func (p *Projection) fillColumns(ctx context.Context, try bool) (bool, error) {
	if len(p.pending) == 0 {
		return true, nil
	}
	pending := p.pending
	seqs := make([]int64, len(pending))
	for i, v := range pending {
		seqs[i] = v.seq
	}
	slices.Sort(seqs)
	type read struct {
		seq int64
		e   segment.Event
	}
	var got []read
	if err := p.readValues(ctx, seqs, func(_ string, seq int64, e *segment.Event) {
		got = append(got, read{seq, *e})
	}); err != nil {
		return false, err
	}
	if !p.lock(try) {
		return false, nil
	}
	defer p.mu.Unlock()
	at := make(map[int64]*segment.Event, len(got))
	for i := range got {
		at[got[i].seq] = &got[i].e
	}
	for _, v := range pending {
		if p.erased[v.slot] || p.erased[p.find(v.slot)] {
			continue // erased while the payload was read
		}
		e := at[v.seq]
		for _, c := range p.colsOf[v.name] {
			var val any
			if e != nil {
				val, _ = segment.ColumnValue(c.def, e)
			}
			c.insert(v.seq, val)
		}
	}
	p.pending = p.pending[:0]
	return true, nil
}

// insert adds seq's value, in order (refreshes mostly append).
func (c *column) insert(seq int64, v any) {
	i, found := slices.BinarySearch(c.seqs, seq)
	if found {
		c.vals[i] = v
		return
	}
	c.seqs, c.vals = slices.Insert(c.seqs, i, seq), slices.Insert(c.vals, i, v)
}

// dropValues forgets the column values of es (an erasure); p.mu is held.
func (p *Projection) dropValues(es []ev) {
	for _, x := range es {
		for _, c := range p.colsOf[x.name] {
			if i, ok := slices.BinarySearch(c.seqs, x.seq); ok {
				c.vals[i] = nil
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
