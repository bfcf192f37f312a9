package projection

import (
	"context"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/analytics/progress"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// scanChunk is how many profiles a scan reads between progress reports and
// cancellation checks.
const scanChunk = 512

// Scan refreshes the projection, then feeds every surviving profile with at
// least one event to each accumulator, in profile id order — what
// funnel.Scan does from the store, from memory. The History passed to Add
// is reused: accumulators must not keep it.
func (p *Projection) Scan(ctx context.Context, need funnel.Need, accs ...funnel.Accumulator) (funnel.ScanStats, error) {
	var st funnel.ScanStats
	if err := p.Refresh(ctx); err != nil {
		return st, err
	}
	p.mu.Lock()
	roots := p.sortedRoots()
	p.mu.Unlock()
	p.mu.RLock()
	defer p.mu.RUnlock()
	// Names and sources the projection has never seen cannot match.
	decode := map[uint32]bool{}
	for _, n := range need.Decode {
		if id, ok := p.names.lookup(n); ok {
			decode[id] = true
		}
	}
	keep := map[uint32]bool{}
	for _, n := range need.Keep {
		if id, ok := p.names.lookup(n); ok {
			keep[id] = true
		}
	}
	exclude := map[uint16]bool{}
	for _, s := range need.Exclude {
		if id, ok := p.sources.lookup(s); ok {
			exclude[id] = true
		}
	}
	prog := progress.From(ctx)
	prog.SetTotal(int64(len(roots)))
	h := &funnel.History{}
	var wanted []int64
	at := map[int64]int{}
	for i, slot := range roots {
		if i%scanChunk == 0 {
			if err := ctx.Err(); err != nil {
				return st, fmt.Errorf("scan profiles: %w", err)
			}
			if i > 0 {
				prog.Add(scanChunk)
			}
		}
		h.ProfileID, h.Events, wanted = p.ids[slot], h.Events[:0], wanted[:0]
		clear(at)
		for _, x := range p.events[slot] {
			if exclude[x.src] && !keep[x.name] {
				continue
			}
			if need.DecodeAll || decode[x.name] {
				wanted = append(wanted, x.seq)
				at[x.seq] = len(h.Events)
			}
			h.Events = append(h.Events, segment.Event{Type: p.types.strs[x.typ], Name: p.names.strs[x.name],
				Timestamp: time.UnixMicro(x.ts).UTC(), Channel: p.channels.strs[x.ch], Source: p.sources.strs[x.src]})
		}
		if len(h.Events) == 0 {
			continue
		}
		if err := funnel.FillPayloads(ctx, p.log, h, wanted, at, &st); err != nil {
			return st, err
		}
		st.Profiles++
		st.Events += len(h.Events)
		for _, a := range accs {
			a.Add(h)
		}
	}
	prog.Add(len(roots) % scanChunk)
	return st, nil
}
