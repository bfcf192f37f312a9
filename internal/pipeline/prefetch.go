package pipeline

import (
	"context"
	"fmt"
	"slices"

	"github.com/cairn-cdp/cairn/internal/event"
)

// prefetchProfiles caches, a query per prefetchPage profiles, the rows of
// the known profiles a batch's events resolve to (their identifiers, or an
// internal event's profile) that the cache lacks, and their traits
// (prefetchTraits) when something will read them: computed traits or
// segments (every touched profile), an identify (its own). With many
// customers per batch most miss the cache, and a GetProfile and a
// ProfileTraits per customer were 16 % of processing at 1M profiles. It
// runs before the batch applies anything, so the store's rows are the
// committed ones the cache holds.
func (p *Processor) prefetchProfiles(ctx context.Context, g *graph, preps []*prepared) error {
	cs := p.computed.Load()
	allTraits := (cs != nil && len(cs.defs) > 0) || p.segIndex().Len() > 0
	var ids []string
	identify := map[string]bool{}
	for _, pe := range preps {
		if pe.err != nil {
			continue
		}
		if id, ok := g.b.internal[pe.ev.Seq]; ok {
			ids = append(ids, id)
			continue
		}
		for _, k := range pe.keys {
			if row, ok := g.b.idents[k]; ok {
				ids = append(ids, row.ProfileID)
				identify[row.ProfileID] = identify[row.ProfileID] || pe.ev.Type == event.Identify
			}
		}
	}
	rows, err := p.readProfiles(ctx, p.cache.profiles.missing(ids))
	if err != nil {
		return fmt.Errorf("read ahead: %w", err)
	}
	for _, r := range rows {
		p.cache.profiles.put(r.ID, r)
	}
	// Traits of the profiles that exist (an erased one has none to read).
	traitIDs := slices.DeleteFunc(ids, func(id string) bool {
		_, known := p.cache.profiles.peek(id)
		return !known || !(allTraits || identify[id])
	})
	return p.prefetchTraits(ctx, traitIDs)
}
