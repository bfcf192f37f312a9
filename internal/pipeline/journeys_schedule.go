package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// schedulePage is how many segment members one scheduled-entry step enters
// (one transaction).
const schedulePage = 1000

// scheduleState is a scheduled journey's progress, kept as the config
// object ("journey_schedule", journey id): the last completed run, and the
// run in progress with the last member entered. Entries are idempotent
// (the instance id derives from the run), so the cursor being written after
// the page commits can only repeat a page after a crash, never lose one.
type scheduleState struct {
	LastRun time.Time `json:"last_run,omitzero"`
	Run     time.Time `json:"run,omitzero"`
	Cursor  string    `json:"cursor,omitempty"`
	Entered int64     `json:"entered"`
}

const scheduleConfigKind = "journey_schedule"

func (p *Processor) scheduleState(ctx context.Context, journeyID string) (scheduleState, error) {
	var st scheduleState
	o, err := p.state.GetConfig(ctx, scheduleConfigKind, journeyID)
	if errors.Is(err, store.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("load schedule of journey %s: %w", journeyID, err)
	}
	if err := json.Unmarshal(o.Body, &st); err != nil {
		return st, fmt.Errorf("decode schedule of journey %s: %w", journeyID, err)
	}
	return st, nil
}

func (p *Processor) putScheduleState(ctx context.Context, journeyID string, st scheduleState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode schedule of journey %s: %w", journeyID, err)
	}
	if err := p.state.PutConfig(ctx, store.ConfigObject{Kind: scheduleConfigKind, ID: journeyID, Body: b, UpdatedAt: p.clk.Now()}); err != nil {
		return fmt.Errorf("save schedule of journey %s: %w", journeyID, err)
	}
	return nil
}

// syncSchedules sets the wake-up timer of every live scheduled journey to
// its next run (or the run in progress).
func (p *Processor) syncSchedules(ctx context.Context) error {
	var timers []store.Timer
	for _, v := range p.journeys.Load().Scheduled() {
		st, err := p.scheduleState(ctx, v.JourneyID)
		if err != nil {
			return err
		}
		next := st.Run
		if next.IsZero() {
			var ok bool
			if next, ok = v.Def.Entry.Schedule.NextRun(st.LastRun); !ok {
				continue
			}
		}
		timers = append(timers, store.Timer{Kind: store.TimerKindSchedule, Ref: v.JourneyID, FireAt: next})
	}
	if len(timers) == 0 {
		return nil
	}
	if err := p.apply(ctx, &store.ProcessBatch{Checkpoint: p.checkpoint.Load(), Timers: timers}); err != nil {
		return fmt.Errorf("set schedule timers: %w", err)
	}
	return nil
}

// fireSchedule runs one page of a due scheduled entry: the next members of
// the segment enter the journey; the timer is acknowledged (and the next
// run's set) once the last page is done.
func (p *Processor) fireSchedule(ctx context.Context, t store.Timer, out *jourOut) error {
	cat := p.journeys.Load()
	v, ok := cat.Live(t.Ref)
	if !ok || v.Def.Entry.Schedule == nil {
		out.acks = append(out.acks, store.Timer{ID: t.ID, Kind: t.Kind, Ref: t.Ref})
		return nil // unpublished, paused or stopped since: the next publish sets it again
	}
	sched := v.Def.Entry.Schedule
	st, err := p.scheduleState(ctx, t.Ref)
	if err != nil {
		return err
	}
	if st.Run.IsZero() {
		st.Run, st.Cursor, st.Entered = t.FireAt.UTC(), "", 0
	}
	members, err := p.state.SegmentMembers(ctx, sched.Segment, st.Cursor, schedulePage)
	if err != nil {
		return fmt.Errorf("members of segment %s: %w", sched.Segment, err)
	}
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.ProfileID
	}
	pre, err := p.preload(ctx, ids)
	if err != nil {
		return err
	}
	for _, m := range members {
		st.Cursor = m.ProfileID
		pm, ok := pre[m.ProfileID]
		if !ok {
			continue // merged away or erased since it joined
		}
		s, err := p.journeySession(ctx, nil, cat, m.ProfileID, nil, p.clk.Now(), pm)
		if err != nil {
			return err
		}
		id, err := s.EnterScheduled(t.Ref, st.Run)
		if err != nil {
			return err
		}
		fx, err := s.Effects()
		if err != nil {
			return err
		}
		out.add(fx)
		if id != "" {
			st.Entered++
		}
	}
	if len(members) < schedulePage {
		st.LastRun, st.Run, st.Cursor = st.Run, time.Time{}, ""
		out.acks = append(out.acks, store.Timer{ID: t.ID, Kind: t.Kind, Ref: t.Ref})
		// Runs missed while the server was down are not replayed one by one:
		// the next run is the first after now.
		if next, ok := sched.NextRun(later(st.LastRun, p.clk.Now())); ok {
			out.timers[[2]string{"", t.Ref}] = store.Timer{Kind: store.TimerKindSchedule, Ref: t.Ref, FireAt: next}
		}
	}
	out.after = append(out.after, func(ctx context.Context) error { return p.putScheduleState(ctx, t.Ref, st) })
	return nil
}
