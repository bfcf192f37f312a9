package pipeline

import (
	"context"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// prefetchProfiles reads ahead, a query per prefetchPage profiles, the
// rows of the known profiles a batch's events resolve to (their
// identifiers, or an internal event's profile) that the cache lacks, and
// their traits when something will read them: computed traits or
// segments (every touched profile), an identify (its own). With many
// customers per batch most miss the cache, and a GetProfile and a
// ProfileTraits per customer were 16 % of processing at 1M profiles.
// The rows wait in the graph until first use, so a profile no event ends
// up touching is not written back.
func (p *Processor) prefetchProfiles(ctx context.Context, g *graph, preps []*prepared) error {
	cs := p.computed.Load()
	allTraits := (cs != nil && len(cs.defs) > 0) || p.segIndex().Len() > 0
	seen := map[string]bool{}
	var ids []string
	wantTraits := map[string]bool{}
	add := func(id string, traits bool) {
		if id == "" {
			return
		}
		if traits || allTraits {
			wantTraits[id] = true
		}
		if seen[id] {
			return
		}
		seen[id] = true
		if _, ok := g.b.profiles[id]; ok {
			return
		}
		if _, ok := g.c.profile(id); ok {
			return
		}
		ids = append(ids, id)
	}
	for _, pe := range preps {
		if pe.err != nil {
			continue
		}
		if id, ok := g.b.internal[pe.ev.Seq]; ok {
			add(id, false)
			continue
		}
		for _, k := range pe.keys {
			if row, ok := g.b.idents[k]; ok {
				add(row.ProfileID, pe.ev.Type == event.Identify)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	g.pre = make(map[string]store.Profile, len(ids))
	var traitIDs []string
	for start := 0; start < len(ids); start += prefetchPage {
		page := ids[start:min(start+prefetchPage, len(ids))]
		rows, err := p.state.GetProfiles(ctx, page...)
		if err != nil {
			return fmt.Errorf("read ahead %d profiles: %w", len(page), err)
		}
		for _, r := range rows {
			g.pre[r.ID] = r
			if _, cached := g.c.traitsOf(r.ID); wantTraits[r.ID] && !cached {
				traitIDs = append(traitIDs, r.ID)
			}
		}
	}
	if len(traitIDs) == 0 {
		return nil
	}
	g.preTraits = make(map[string]map[string]store.Trait, len(traitIDs))
	for _, id := range traitIDs {
		g.preTraits[id] = map[string]store.Trait{}
	}
	for start := 0; start < len(traitIDs); start += prefetchPage {
		page := traitIDs[start:min(start+prefetchPage, len(traitIDs))]
		rows, err := p.state.ProfilesTraits(ctx, page...)
		if err != nil {
			return fmt.Errorf("read ahead the traits of %d profiles: %w", len(page), err)
		}
		for _, r := range rows {
			g.preTraits[r.ProfileID][r.Path] = r.Trait
		}
	}
	return nil
}
