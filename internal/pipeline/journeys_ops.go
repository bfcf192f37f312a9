package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// SetSendNotifier installs a function called after a commit that queued
// sends (the dispatcher's wake-up). Call before Run.
func (p *Processor) SetSendNotifier(fn func()) { p.sendNotify = fn }

// SetTransitionHook installs a function told, after they are committed, of
// the segments whose membership changed. It must not block. Call before Run.
func (p *Processor) SetTransitionHook(fn func(segmentID string)) { p.transitionHook = fn }

// commitJourney writes journey effects decided outside a log batch (API
// entries, stops) in one transaction that keeps the checkpoint.
func (p *Processor) commitJourney(ctx context.Context, out *jourOut) error {
	if out.empty() {
		return nil
	}
	pb := &store.ProcessBatch{Checkpoint: p.checkpoint.Load()}
	out.fill(pb)
	ob := p.outgoingOf(nil, nil, out.fx.Events)
	if err := p.commitWith(ctx, pb, ob); err != nil {
		return fmt.Errorf("commit journey changes: %w", err)
	}
	p.publish(ctx, ob)
	p.notifySends(out)
	return out.committed(ctx)
}

func (p *Processor) notifySends(out *jourOut) {
	if out != nil && len(out.fx.Sends) > 0 && p.sendNotify != nil {
		p.sendNotify()
	}
}

// EnterJourney enters a profile into a journey's live version by API call.
// It returns the instance id, or "" when the re-entry policy refused.
func (p *Processor) EnterJourney(ctx context.Context, journeyID, profileID, trigger string, props map[string]any) (string, error) {
	var id string
	err := p.Do(ctx, func(ctx context.Context) error {
		cat := p.journeys.Load()
		if _, ok := cat.Live(journeyID); !ok {
			return fmt.Errorf("journey %s: %w", journeyID, ErrJourneyNotLive)
		}
		pr, err := p.state.GetProfile(ctx, profileID)
		if err != nil {
			return fmt.Errorf("load profile %s: %w", profileID, err)
		}
		if pr.MergedInto != "" {
			profileID = pr.MergedInto
		}
		s, err := p.journeySession(ctx, nil, cat, profileID, nil, p.clk.Now(), nil)
		if err != nil {
			return err
		}
		if id, err = s.Enter(journeyID, trigger, props); err != nil {
			return err
		}
		fx, err := s.Effects()
		if err != nil {
			return err
		}
		out := &jourOut{}
		out.add(fx)
		return p.commitJourney(ctx, out)
	})
	return id, err
}

// ErrJourneyNotLive is returned when entering a journey that takes no entries.
var ErrJourneyNotLive = errors.New("the journey is not live")

// StopJourney ejects every active instance of a journey (reason stopped),
// a page of instances per transaction.
func (p *Processor) StopJourney(ctx context.Context, journeyID string) error {
	return p.Do(ctx, func(ctx context.Context) error {
		cat := p.journeys.Load()
		for {
			rows, err := p.state.ListInstances(ctx, store.InstanceQuery{JourneyID: journeyID, Status: store.InstanceActive, Limit: 500})
			if err != nil {
				return fmt.Errorf("list instances of journey %s: %w", journeyID, err)
			}
			if len(rows) == 0 {
				return nil
			}
			out := &jourOut{}
			seen := map[string]bool{}
			for _, r := range rows {
				if seen[r.ProfileID] {
					continue
				}
				seen[r.ProfileID] = true
				s, err := p.journeySession(ctx, nil, cat, r.ProfileID, nil, p.clk.Now(), nil)
				if err != nil {
					return err
				}
				if err := s.Eject(journeyID, journey.ExitStopped); err != nil {
					return err
				}
				fx, err := s.Effects()
				if err != nil {
					return err
				}
				out.add(fx)
			}
			if out.empty() {
				return fmt.Errorf("stop journey %s: active instances could not be ejected (version not loaded?)", journeyID)
			}
			if err := p.commitJourney(ctx, out); err != nil {
				return err
			}
		}
	})
}

// MigrateJourney moves the active instances of a journey's older versions
// onto its live version at the mapped nodes (journey.MigrateInstance), a
// page per transaction, and returns how many moved. Instances at unmapped
// nodes keep draining on their version.
func (p *Processor) MigrateJourney(ctx context.Context, journeyID string, nodes map[string]string) (int, error) {
	moved := 0
	err := p.Do(ctx, func(ctx context.Context) error {
		cat := p.journeys.Load()
		to, ok := cat.Live(journeyID)
		if !ok {
			return fmt.Errorf("journey %s: %w", journeyID, ErrJourneyNotLive)
		}
		after := ""
		for {
			rows, err := p.state.ListInstances(ctx, store.InstanceQuery{JourneyID: journeyID, Status: store.InstanceActive, After: after, Limit: 1000})
			if err != nil {
				return fmt.Errorf("list instances of journey %s: %w", journeyID, err)
			}
			if len(rows) == 0 {
				return nil
			}
			pb := &store.ProcessBatch{Checkpoint: p.checkpoint.Load()}
			now := p.clk.Now()
			for _, r := range rows {
				after = r.ID
				from, ok := cat.Version(journeyID, r.Version)
				if !ok {
					continue
				}
				row, changed, err := journey.MigrateInstance(r, from, to, nodes, now)
				if err != nil {
					return err
				}
				if changed {
					pb.Instances = append(pb.Instances, row)
				}
			}
			if len(pb.Instances) > 0 {
				if err := p.apply(ctx, pb); err != nil {
					return fmt.Errorf("migrate instances of journey %s: %w", journeyID, err)
				}
				moved += len(pb.Instances)
			}
		}
	})
	return moved, err
}
