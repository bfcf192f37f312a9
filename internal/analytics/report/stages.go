package report

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/abtest"
	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
)

// StageEvents are the events the stage response report decodes.
var StageEvents = []string{EventMessageSent, EventMessageOpened, EventMessageClicked, EventGoalReached}

// Metric is the response a stage report counts.
type Metric string

// Metrics.
const (
	Opened    Metric = "opened"
	Clicked   Metric = "clicked"
	Converted Metric = "converted" // a Goal Reached whose preceding_send_key is the send
)

// Sort orders the rows of a stage report.
type Sort string

// Sort orders; both descending.
const (
	ByRate  Sort = "rate"
	BySends Sort = "sends"
)

// StageSpec configures a stage response report. Sends are those whose
// Message Sent time is in [Since, Until) (zero ends are open).
type StageSpec struct {
	Metric       Metric
	Sort         Sort
	Since, Until time.Time
}

// Validate checks the metric and sort and fills their defaults.
func (s *StageSpec) Validate() error {
	s.Metric, s.Sort = cmp.Or(s.Metric, Converted), cmp.Or(s.Sort, ByRate)
	switch s.Metric {
	case Opened, Clicked, Converted:
	default:
		return fmt.Errorf("%w: metric %q is not opened, clicked or converted", ErrInvalid, s.Metric)
	}
	if s.Sort != ByRate && s.Sort != BySends {
		return fmt.Errorf("%w: sort %q is not rate or sends", ErrInvalid, s.Sort)
	}
	if !s.Since.IsZero() && !s.Until.IsZero() && !s.Until.After(s.Since) {
		return fmt.Errorf("%w: until must be after since", ErrInvalid)
	}
	return nil
}

type stageKey struct{ stage, template, channel string }

// Stages accumulates response rates by stage at send time × template ×
// channel.
type Stages struct {
	spec StageSpec
	rows map[stageKey]*abtest.Counts
}

var _ funnel.Accumulator = (*Stages)(nil)

// NewStages starts a stage response report.
func NewStages(spec StageSpec) (*Stages, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	return &Stages{spec: spec, rows: map[stageKey]*abtest.Counts{}}, nil
}

// Add reads one profile's history.
func (s *Stages) Add(h *funnel.History) {
	responded := map[string]bool{}
	for i := range h.Events {
		e := &h.Events[i]
		switch {
		case s.spec.Metric == Opened && e.Name == EventMessageOpened,
			s.spec.Metric == Clicked && e.Name == EventMessageClicked:
			responded[str(e, "send_key")] = true
		case s.spec.Metric == Converted && e.Name == EventGoalReached:
			responded[str(e, "preceding_send_key")] = true
		}
	}
	sent := map[string]bool{}
	for i := range h.Events {
		e := &h.Events[i]
		key := str(e, "send_key")
		if e.Name != EventMessageSent || key == "" || sent[key] || !s.in(e.Timestamp) {
			continue
		}
		sent[key] = true
		k := stageKey{stage: cmp.Or(str(e, "lifecycle_stage"), "(none)"), template: str(e, "template"), channel: str(e, "channel")}
		c := s.rows[k]
		if c == nil {
			c = &abtest.Counts{}
			s.rows[k] = c
		}
		c.Trials++
		if responded[key] {
			c.Successes++
		}
	}
}

func (s *Stages) in(t time.Time) bool {
	return inRange(t, s.spec.Since, s.spec.Until)
}

// StageRow is one stage × template × channel.
type StageRow struct {
	Stage      string   `json:"stage"`
	Template   string   `json:"template"`
	Channel    string   `json:"channel"`
	Sends      int64    `json:"sends"`
	Responders int64    `json:"responders"`
	Rate       float64  `json:"rate"`
	CI         Interval `json:"ci"`
	// StageRate is the rate of all sends of the stage.
	StageRate float64 `json:"stage_rate"`
	// VsStage tests the row (B) against the other sends of its stage (A);
	// nil when the row is the whole stage.
	VsStage *abtest.ZTest `json:"vs_stage"`
	// AdjustedP is VsStage.P adjusted by Benjamini–Hochberg over every row
	// of the report (a false-discovery rate; nil without a test).
	AdjustedP   *float64 `json:"adjusted_p"`
	Significant bool     `json:"significant"` // adjusted p < 0.05
}

// StageReport is the rows of a stage response report.
type StageReport struct {
	Metric Metric     `json:"metric"`
	Sort   Sort       `json:"sort"`
	Rows   []StageRow `json:"rows"`
}

// Result builds the sorted rows.
func (s *Stages) Result() StageReport {
	stage := map[string]abtest.Counts{}
	for k, c := range s.rows {
		t := stage[k.stage]
		t.Trials += c.Trials
		t.Successes += c.Successes
		stage[k.stage] = t
	}
	r := StageReport{Metric: s.spec.Metric, Sort: s.spec.Sort, Rows: []StageRow{}}
	for k, c := range s.rows {
		all := stage[k.stage]
		row := StageRow{Stage: k.stage, Template: k.template, Channel: k.channel, Sends: c.Trials, Responders: c.Successes,
			Rate: c.Rate(), CI: Wilson(c.Successes, c.Trials), StageRate: all.Rate()}
		rest := abtest.Counts{Successes: all.Successes - c.Successes, Trials: all.Trials - c.Trials}
		if rest.Trials > 0 {
			if z, err := abtest.TwoProportions(rest, *c, Alpha); err == nil {
				row.VsStage = &z
			}
		}
		r.Rows = append(r.Rows, row)
	}
	var tested []int
	var ps []float64
	for i, row := range r.Rows {
		if row.VsStage != nil {
			tested, ps = append(tested, i), append(ps, row.VsStage.P)
		}
	}
	for k, q := range abtest.BenjaminiHochberg(ps) {
		row := &r.Rows[tested[k]]
		row.AdjustedP, row.Significant = &q, q < Alpha
	}
	slices.SortFunc(r.Rows, func(a, b StageRow) int {
		by := cmp.Compare(b.Rate, a.Rate)
		if s.spec.Sort == BySends {
			by = cmp.Or(cmp.Compare(b.Sends, a.Sends), by)
		}
		return cmp.Or(by, cmp.Compare(b.Sends, a.Sends), cmp.Compare(a.Stage, b.Stage),
			cmp.Compare(a.Template, b.Template), cmp.Compare(a.Channel, b.Channel))
	})
	return r
}
