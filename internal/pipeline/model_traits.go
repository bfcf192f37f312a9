package pipeline

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// ModelTraits are the traits written by predictive models (CLV); like
// computed traits they are Cairn's, so identify calls cannot overwrite them.
var ModelTraits = []string{"p_alive", "predicted_purchases_90d", "predicted_clv",
	"rfm_recency", "rfm_frequency", "rfm_monetary", "rfm_score"}

// modelTraitPage is how many profiles one model-trait transaction writes.
const modelTraitPage = 500

// SetModelTraits writes model outputs as computed traits (profile id →
// trait → value; a nil value removes the trait), re-evaluates the segments
// that read them and commits a page per transaction. It runs on the
// processor goroutine and returns how many profiles it changed.
func (p *Processor) SetModelTraits(ctx context.Context, values map[string]map[string]any) (int, error) {
	changed := 0
	err := p.Do(ctx, func(ctx context.Context) error {
		ids := make([]string, 0, len(values))
		for id := range values {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		now := p.clk.Now().UTC().Truncate(time.Microsecond)
		idx := p.segIndex()
		var names []string
		for _, v := range values {
			for name := range v {
				if !slices.Contains(names, name) {
					names = append(names, name)
				}
			}
		}
		slices.Sort(names)
		affected := idx.Affected(segment.Event{}, names)
		for start := 0; start < len(ids); start += modelTraitPage {
			page := ids[start:min(start+modelTraitPage, len(ids))]
			// The page's profiles and traits in two reads, not two per profile.
			rows, err := p.state.GetProfiles(ctx, page...)
			if err != nil {
				return fmt.Errorf("read %d profiles: %w", len(page), err)
			}
			alive := make(map[string]bool, len(rows))
			for _, pr := range rows {
				alive[pr.ID] = pr.MergedInto == ""
			}
			if err := p.prefetchTraits(ctx, page); err != nil {
				return err
			}
			pb := &store.ProcessBatch{Checkpoint: p.checkpoint.Load()}
			out := &segOut{}
			for _, id := range page {
				if !alive[id] {
					continue // erased or merged since the model read it: nothing to write
				}
				n, err := p.setModelTraits(ctx, id, values[id], now, affected, pb, out)
				if err != nil {
					return err
				}
				changed += n
			}
			out.fill(pb)
			if err := p.stagesOutside(ctx, out, pb); err != nil {
				return err
			}
			if len(pb.Traits)+len(pb.TraitDeletes) == 0 {
				continue
			}
			ob := p.outgoingOf(out.emits, out.stages, nil)
			if err := p.commitWith(ctx, pb, ob); err != nil {
				return fmt.Errorf("write model traits for %d profiles: %w", len(pb.Traits), err)
			}
			p.publish(ctx, ob)
		}
		return nil
	})
	return changed, err
}

func (p *Processor) setModelTraits(ctx context.Context, id string, vals map[string]any, now time.Time, affected []string, pb *store.ProcessBatch, out *segOut) (int, error) {
	traits, err := p.committedTraits(ctx, id)
	if err != nil {
		return 0, err
	}
	changed := false
	for _, name := range slices.Sorted(maps.Keys(vals)) {
		v := vals[name]
		cur, has := traits[name]
		if v == nil {
			if has {
				delete(traits, name)
				pb.TraitDeletes = append(pb.TraitDeletes, store.ProfileTrait{ProfileID: id, Trait: store.Trait{Path: name}})
				changed = true
			}
			continue
		}
		t, err := p.computedTrait(name, v, now)
		if err != nil {
			return 0, err
		}
		if has && sameComputed(cur, t) {
			continue
		}
		traits[name] = t
		pb.Traits = append(pb.Traits, store.ProfileTrait{ProfileID: id, Trait: t})
		changed = true
	}
	if !changed {
		return 0, nil
	}
	var evs []segment.Event
	if len(affected) > 0 {
		ids := profileIDs(id)
		if evs, err = p.committedEvents(ctx, ids, nil); err != nil {
			return 0, err
		}
	}
	return 1, p.resegment(ctx, id, traits, evs, affected, now, out)
}

// isModelTrait tells whether a path belongs to a model's output.
func isModelTrait(path string) bool {
	root, _, _ := strings.Cut(path, ".")
	return slices.Contains(ModelTraits, root)
}
