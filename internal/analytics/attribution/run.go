package attribution

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Model names accepted by Run.
const (
	First     = "first"
	Last      = "last"
	Linear    = "linear"
	TimeDecay = "time_decay"
	Position  = "position"
	Markov    = "markov"
	Shapley   = "shapley"
)

// AllModels lists every model in the order results are presented.
var AllModels = []string{First, Last, Linear, TimeDecay, Position, Markov, Shapley}

// Path is one customer journey, or identical journeys aggregated: the
// channels touched in order, and how many times it converted (with what
// value) and how many times it ended without converting.
type Path struct {
	Channels []string
	// Times, when set, holds the time of each touch (same length as
	// Channels). Only time decay uses it.
	Times []time.Time
	// ConvertedAt is the conversion time time decay measures ages from; zero
	// means the time of the last touch.
	ConvertedAt time.Time
	Conversions float64
	Value       float64
	Nulls       float64
}

// Options tunes the models. The zero value is a sensible default.
type Options struct {
	// Order of the Markov chain, 1–3; 0 means 1.
	Order int
	// IncludeNulls feeds non-converting paths into the Markov chain.
	IncludeNulls bool
	// PositionWeights are the first, middle and last shares of the position
	// model, non-negative and summing to 1; all zero means 0.4, 0.2, 0.4.
	PositionWeights [3]float64
	// HalfLife of time decay; 0 means 7 days.
	HalfLife time.Duration
	// ShapleySamples > 0 estimates Shapley values from that many random
	// permutations (at least 2) instead of the exact closed form.
	ShapleySamples int
	// Seed of the permutation sampler.
	Seed uint64
}

// DefaultPositionWeights are the 40/20/40 weights of the position model.
var DefaultPositionWeights = [3]float64{0.4, 0.2, 0.4}

// DefaultHalfLife is the half-life of time decay when Options leaves it 0.
const DefaultHalfLife = 7 * 24 * time.Hour

// ChannelCredit is what one model gives one channel.
type ChannelCredit struct {
	Channel     string  `json:"channel"`
	Conversions float64 `json:"conversions"`
	Value       float64 `json:"value"`
	// Share is Conversions over the total conversions (0 when there are none).
	Share float64 `json:"share"`
}

// Totals sums the input paths.
type Totals struct {
	Paths       int     `json:"paths"`
	Conversions float64 `json:"conversions"`
	Value       float64 `json:"value"`
	Nulls       float64 `json:"nulls"`
}

// MarkovSummary describes the solved chain.
type MarkovSummary struct {
	Order        int  `json:"order"`
	IncludeNulls bool `json:"include_nulls"`
	// States is the number of transient states (windows of channels).
	States int `json:"states"`
	// ConversionProbability is P(conversion) from (start).
	ConversionProbability float64 `json:"conversion_probability"`
	// Solver is "dense-lu" or "gauss-seidel".
	Solver string `json:"solver"`
}

// ShapleyError bounds the sampled Shapley estimate.
type ShapleyError struct {
	Samples    int     `json:"samples"`
	Confidence float64 `json:"confidence"`
	// Conversions and Value hold, per channel, the half-width of the
	// confidence interval around the estimate.
	Conversions map[string]float64 `json:"conversions"`
	Value       map[string]float64 `json:"value"`
}

// Result holds every requested model side by side.
type Result struct {
	// ModelNames are the models computed, in the order of AllModels.
	ModelNames []string `json:"model_names"`
	// Models maps a model name to one credit per channel, channels sorted.
	Models   map[string][]ChannelCredit `json:"models"`
	Channels []string                   `json:"channels"`
	Totals   Totals                     `json:"totals"`
	// RemovalEffects of the Markov model per channel.
	RemovalEffects map[string]float64 `json:"removal_effects,omitempty"`
	Markov         *MarkovSummary     `json:"markov,omitempty"`
	ShapleyError   *ShapleyError      `json:"shapley_error,omitempty"`
	// Notes explain models left out or results to read with care.
	Notes []string `json:"notes,omitempty"`
}

// credits is a model's raw output, indexed by channel id.
type credits struct{ conv, value []float64 }

func newCredits(n int) credits {
	return credits{conv: make([]float64, n), value: make([]float64, n)}
}

// Run attributes paths with the given models (all of AllModels when none).
func Run(paths []Path, models []string, opts Options) (Result, error) {
	models, err := normalizeModels(models)
	if err != nil {
		return Result{}, err
	}
	if err := opts.normalize(); err != nil {
		return Result{}, err
	}
	d, err := newDataset(paths)
	if err != nil {
		return Result{}, err
	}
	res := Result{Models: map[string][]ChannelCredit{}, Channels: d.names, Totals: d.totals}
	for _, m := range models {
		var c credits
		switch m {
		case First:
			c = d.first()
		case Last:
			c = d.last()
		case Linear:
			c = d.linear()
		case Position:
			c = d.position(opts.PositionWeights)
		case TimeDecay:
			var note string
			if c, note, err = d.timeDecay(opts.HalfLife); err != nil {
				return Result{}, err
			}
			if note != "" {
				res.Notes = append(res.Notes, note)
				continue
			}
		case Markov:
			var mk markovResult
			if mk, err = d.markov(opts.Order, opts.IncludeNulls, solverAuto); err != nil {
				return Result{}, err
			}
			c = mk.credits
			res.RemovalEffects = d.byName(mk.removal)
			res.Markov = &mk.summary
			res.Notes = append(res.Notes, mk.notes...)
		case Shapley:
			if opts.ShapleySamples > 0 {
				var se ShapleyError
				c, se = d.shapleySampled(opts.ShapleySamples, opts.Seed)
				res.ShapleyError = &se
			} else {
				c = d.shapleyExact()
			}
		}
		res.ModelNames = append(res.ModelNames, m)
		res.Models[m] = d.table(c)
	}
	return res, nil
}

func normalizeModels(models []string) ([]string, error) {
	if len(models) == 0 {
		return slices.Clone(AllModels), nil
	}
	var out []string
	for _, m := range models {
		if !slices.Contains(AllModels, m) {
			return nil, fmt.Errorf("%w %q (known: first, last, linear, time_decay, position, markov, shapley)", ErrUnknownModel, m)
		}
	}
	for _, m := range AllModels {
		if slices.Contains(models, m) {
			out = append(out, m)
		}
	}
	return out, nil
}

func (o *Options) normalize() error {
	if o.Order == 0 {
		o.Order = 1
	}
	if o.Order < 1 || o.Order > 3 {
		return fmt.Errorf("%w: markov order %d, want 1, 2 or 3", ErrBadOptions, o.Order)
	}
	if o.PositionWeights == [3]float64{} {
		o.PositionWeights = DefaultPositionWeights
	}
	sum := 0.0
	for _, w := range o.PositionWeights {
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("%w: position weights %v must be non-negative", ErrBadOptions, o.PositionWeights)
		}
		sum += w
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("%w: position weights %v sum to %g, want 1", ErrBadOptions, o.PositionWeights, sum)
	}
	if o.HalfLife == 0 {
		o.HalfLife = DefaultHalfLife
	}
	if o.HalfLife < 0 {
		return fmt.Errorf("%w: half-life %v must be positive", ErrBadOptions, o.HalfLife)
	}
	if o.ShapleySamples < 0 || o.ShapleySamples == 1 {
		return fmt.Errorf("%w: %d shapley samples, want 0 (exact) or at least 2", ErrBadOptions, o.ShapleySamples)
	}
	return nil
}

// table turns raw credits into one ChannelCredit per channel.
func (d *dataset) table(c credits) []ChannelCredit {
	out := make([]ChannelCredit, len(d.names))
	for i, name := range d.names {
		out[i] = ChannelCredit{Channel: name, Conversions: c.conv[i], Value: c.value[i]}
		if d.totals.Conversions > 0 {
			out[i].Share = c.conv[i] / d.totals.Conversions
		}
	}
	return out
}

func (d *dataset) byName(v []float64) map[string]float64 {
	m := make(map[string]float64, len(v))
	for i, x := range v {
		m[d.names[i]] = x
	}
	return m
}
