package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// experimentConfigKind holds decided experiment winners (id: the experiment key).
const experimentConfigKind = "experiment_winner"

// experimentResult is a decided experiment, as stored and shown.
type experimentResult struct {
	Variant   string                  `json:"variant"`
	Metric    string                  `json:"metric"`
	Window    string                  `json:"window"`
	DecidedAt time.Time               `json:"decided_at"`
	Arms      map[string]*journey.Arm `json:"arms"`
}

func (p *Processor) experimentWinners(ctx context.Context) (map[string]string, error) {
	list, err := p.state.ListConfig(ctx, experimentConfigKind)
	if err != nil {
		return nil, fmt.Errorf("load experiment winners: %w", err)
	}
	out := make(map[string]string, len(list))
	for _, o := range list {
		var r experimentResult
		if json.Unmarshal(o.Body, &r) == nil && r.Variant != "" {
			out[o.ID] = r.Variant
		}
	}
	return out, nil
}

// syncExperiments sets a decision timer for every undecided auto-winner
// experiment of a live version, due when its window has passed.
func (p *Processor) syncExperiments(ctx context.Context) error {
	var timers []store.Timer
	for _, e := range p.journeys.Load().AutoExperiments() {
		key := journey.ExperimentKey(e.Version.JourneyID, e.Version.Number, e.Node.ID)
		timers = append(timers, store.Timer{Kind: store.TimerKindExperiment, Ref: key, FireAt: e.DecideAt})
	}
	if len(timers) == 0 {
		return nil
	}
	if err := p.apply(ctx, &store.ProcessBatch{Checkpoint: p.checkpoint.Load(), Timers: timers}); err != nil {
		return fmt.Errorf("set experiment timers: %w", err)
	}
	return nil
}

// fireExperiment decides an experiment: for every instance of the version
// that took an arm, a conversion is the metric event within the window
// after it entered; the variant with the best rate wins and every later
// arrival takes it.
func (p *Processor) fireExperiment(ctx context.Context, t store.Timer, out *jourOut) error {
	out.acks = append(out.acks, store.Timer{ID: t.ID, Kind: t.Kind, Ref: t.Ref})
	parts := strings.Split(t.Ref, "/")
	if len(parts) != 3 {
		return nil
	}
	version, err := strconv.Atoi(parts[1])
	if err != nil {
		return nil //nolint:nilerr // a malformed key decides nothing
	}
	cat := p.journeys.Load()
	v, ok := cat.Version(parts[0], version)
	if !ok {
		return nil
	}
	n, ok := v.Def.Node(parts[2])
	if !ok || n.Experiment == nil {
		return nil
	}
	e := n.Experiment
	window, err := experimentWindow(e.Window)
	if err != nil {
		return err
	}
	arms := map[string]*journey.Arm{}
	after := ""
	for {
		rows, err := p.state.ListInstances(ctx, store.InstanceQuery{JourneyID: v.JourneyID, After: after, Limit: 1000})
		if err != nil {
			return fmt.Errorf("list instances of journey %s: %w", v.JourneyID, err)
		}
		for _, r := range rows {
			after = r.ID
			arm, ok := journey.InstancePath(r, n.ID)
			if r.Version != version || !ok {
				continue
			}
			a := arms[arm]
			if a == nil {
				a = &journey.Arm{ID: arm}
				arms[arm] = a
			}
			a.Entered++
			ids := profileIDs(r.ProfileID)
			hits, err := p.state.Timeline(ctx, store.TimelineQuery{ProfileIDs: ids, Event: e.Metric, Since: r.EnteredAt, Until: r.EnteredAt.Add(window), Limit: 1})
			if err != nil {
				return fmt.Errorf("conversions of profile %s: %w", r.ProfileID, err)
			}
			if len(hits) > 0 {
				a.Converted++
			}
		}
		if len(rows) < 1000 {
			break
		}
	}
	winner, ok := journey.DecideWinner(e, arms)
	if !ok {
		p.logger.Warn("experiment ended with no entries: no winner", slog.String("experiment", t.Ref))
		return nil
	}
	res := experimentResult{Variant: winner, Metric: e.Metric, Window: e.Window, DecidedAt: p.clk.Now(), Arms: arms}
	key := t.Ref
	out.after = append(out.after, func(ctx context.Context) error {
		body, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("encode experiment result: %w", err)
		}
		if err := p.state.PutConfig(ctx, store.ConfigObject{Kind: experimentConfigKind, ID: key, Body: body, UpdatedAt: p.clk.Now()}); err != nil {
			return fmt.Errorf("save experiment winner %s: %w", key, err)
		}
		winners, err := p.experimentWinners(ctx)
		if err != nil {
			return err
		}
		p.journeys.Store(p.journeys.Load().WithWinners(winners))
		p.logger.Info("experiment decided", slog.String("experiment", key), slog.String("winner", winner))
		return nil
	})
	return nil
}

func experimentWindow(s string) (time.Duration, error) {
	d, err := segment.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("window %q: %w", s, err)
	}
	return time.Duration(d), nil
}
