package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// demoStage is one stage of the standard NTO lifecycle model and the text
// form of its segment.
type demoStage struct {
	stage, segment, text string
}

// demoStageDefault is the stage of a profile in none of the segments
// (signed up, no order, no recent product interest).
const demoStageDefault = "awareness"

// demoStages is the standard lifecycle model, most specific stage first:
// a profile is in the first stage whose segment it is a member of.
var demoStages = []demoStage{
	{"advocacy", "Stage: advocacy",
		`(performed "Product Reviewed" within 90d or performed "Referral Sent" within 90d) and performed "Order Completed"`},
	{"retention", "Stage: retention",
		`performed "Order Completed" count >= 2 and performed "Order Completed" within 180d`},
	{"purchase", "Stage: purchase",
		`performed "Order Completed" count = 1 and performed "Order Completed" within 180d`},
	{"lapsed", "Stage: lapsed",
		`performed "Order Completed" and performed "Order Completed" count = 0 within 180d`},
	{"consideration", "Stage: consideration",
		`(performed "Product Viewed" within 30d or performed "Product Added" within 30d) and performed "Order Completed" count = 0`},
	{"awareness", "Stage: awareness",
		`performed "Signed Up" count = 0`},
}

// ensureDemoStages creates the segments of the standard lifecycle model
// (reusing a live segment of the same name) and the model itself, unless a
// stage model exists. It reports whether it created the model.
func (a *App) ensureDemoStages(ctx context.Context) (bool, error) {
	_, err := a.State.GetStageModel(ctx, store.StageModelDefault)
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	existing, err := a.State.ListSegments(ctx)
	if err != nil {
		return false, fmt.Errorf("list segments: %w", err)
	}
	byName := make(map[string]string, len(existing))
	for _, s := range existing {
		byName[s.Name] = s.ID
	}
	now := a.Clock.Now()
	m := store.StageModel{ID: store.StageModelDefault, Default: demoStageDefault, UpdatedAt: now}
	for _, ds := range demoStages {
		id, ok := byName[ds.segment]
		if !ok {
			def, err := segment.ParseText(ds.text)
			if err != nil {
				return false, fmt.Errorf("demo stage %s: %w", ds.stage, err)
			}
			seg, err := a.State.CreateSegment(ctx, store.Segment{ID: newID("seg"), Name: ds.segment,
				Description: "lifecycle stage " + ds.stage + " (standard model)", Definition: def.JSON(), Text: def.Text(), CreatedAt: now})
			if err != nil {
				return false, fmt.Errorf("create demo stage segment %s: %w", ds.segment, err)
			}
			id = seg.ID
		}
		m.Stages = append(m.Stages, store.Stage{Name: ds.stage, SegmentID: id})
	}
	if _, err := a.State.PutStageModel(ctx, m); err != nil {
		return false, fmt.Errorf("create the demo stage model: %w", err)
	}
	return true, nil
}

// liveDemoStages makes a running processor pick up the demo segments and
// stage model (new segments are computed as events arrive).
func (a *App) liveDemoStages(ctx context.Context) error {
	if err := a.Processor.Reload(ctx, ""); err != nil {
		return fmt.Errorf("load the demo stage segments: %w", err)
	}
	if err := a.Processor.ReloadStages(ctx); err != nil {
		return fmt.Errorf("load the demo stage model: %w", err)
	}
	return nil
}
