package abtest

import (
	"fmt"
	"math"
)

// Defaults of MSPRTConfig.
const (
	DefaultSequentialAlpha = 0.05
	// DefaultMixingVariance is τ² = 0.01²: effects of about one percentage point.
	DefaultMixingVariance = 1e-4
	// DefaultMinTrials is the default burn-in per arm.
	DefaultMinTrials = 100
)

// MSPRTConfig configures the mixture sequential probability ratio test on the
// difference of proportions p_B − p_A. The zero value means
// DefaultSequentialAlpha, DefaultMixingVariance and H₀: p_B − p_A = 0.
type MSPRTConfig struct {
	Alpha float64 `json:"alpha"`
	// MixingVariance is τ², the variance of the normal mixture over the
	// alternative, on the scale of the difference of proportions.
	MixingVariance float64 `json:"mixing_variance"`
	// Null is θ₀, the difference under the null hypothesis.
	Null float64 `json:"null"`
	// MinTrials is the burn-in: looks before each arm has this many trials
	// carry no evidence. The plug-in variance is unreliable on a handful of
	// customers (one conversion in three visits is not a 33 % rate), and
	// without a burn-in very early looks can reject a true null. 0 means
	// DefaultMinTrials; set a negative value to disable it.
	MinTrials int64 `json:"min_trials"`
}

func (c MSPRTConfig) withDefaults() (MSPRTConfig, error) {
	if c.Alpha == 0 {
		c.Alpha = DefaultSequentialAlpha
	}
	if c.MinTrials == 0 {
		c.MinTrials = DefaultMinTrials
	}
	if c.MixingVariance == 0 {
		c.MixingVariance = DefaultMixingVariance
	}
	if err := validAlpha(c.Alpha); err != nil {
		return c, err
	}
	if !(c.MixingVariance > 0) || !finite(c.MixingVariance) {
		return c, fmt.Errorf("%w: mixing variance must be positive, got %v", ErrConfig, c.MixingVariance)
	}
	if !(c.Null > -1 && c.Null < 1) {
		return c, fmt.Errorf("%w: null difference must lie in (-1, 1), got %v", ErrConfig, c.Null)
	}
	return c, nil
}

// Sequential is the always-valid inference after a look at the data.
type Sequential struct {
	Diff float64 `json:"diff"`
	// LogLR is log Λ, the log mixture likelihood ratio against the null at
	// this look (0 when the look carries no evidence).
	LogLR float64 `json:"log_lr"`
	// P is the always-valid p-value: min(1, 1/Λ) for a single look, and the
	// running minimum over looks for a Monitor.
	P float64 `json:"p"`
	// CS is the (1−alpha) confidence sequence for p_B − p_A: this look's
	// interval for a single look, the running intersection for a Monitor.
	CS Interval `json:"cs"`
	// Reject is P <= Alpha: the difference is significant, valid under
	// continuous monitoring.
	Reject         bool    `json:"reject"`
	Alpha          float64 `json:"alpha"`
	MixingVariance float64 `json:"mixing_variance"`
	Null           float64 `json:"null"`
	MinTrials      int64   `json:"min_trials"`
	Looks          int     `json:"looks"`
}

// MSPRT evaluates the mixture SPRT on cumulative counts at one look. Its P and
// CS are valid at this look whenever it is taken; to keep them valid across
// repeated looks use a Monitor, which carries the running minimum and
// intersection. Arms without trials give a look with no evidence.
func MSPRT(a, b Counts, cfg MSPRTConfig) (Sequential, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Sequential{}, err
	}
	if err := a.Validate(); err != nil {
		return Sequential{}, fmt.Errorf("arm A: %w", err)
	}
	if err := b.Validate(); err != nil {
		return Sequential{}, fmt.Errorf("arm B: %w", err)
	}
	return look(a, b, cfg), nil
}

// look computes Λ and the interval at one look; cfg is already validated.
func look(a, b Counts, cfg MSPRTConfig) Sequential {
	s := Sequential{
		Diff: b.Rate() - a.Rate(), P: 1, CS: Interval{Low: -1, High: 1},
		Alpha: cfg.Alpha, MixingVariance: cfg.MixingVariance, Null: cfg.Null, MinTrials: cfg.MinTrials, Looks: 1,
	}
	if a.Trials < cfg.MinTrials || b.Trials < cfg.MinTrials || a.Trials == 0 || b.Trials == 0 {
		return s
	}
	pa, pb := a.Rate(), b.Rate()
	v := pa*(1-pa)/float64(a.Trials) + pb*(1-pb)/float64(b.Trials)
	if !(v > 0) {
		return s
	}
	tau2 := cfg.MixingVariance
	d := s.Diff - cfg.Null
	// log Λ = ½·log(V/(V+τ²)) + τ²d²/(2V(V+τ²)).
	s.LogLR = 0.5*math.Log(v/(v+tau2)) + tau2*d*d/(2*v*(v+tau2))
	s.P = math.Min(1, math.Exp(-s.LogLR))
	half := math.Sqrt(v * (v + tau2) / tau2 * (2*math.Log(1/cfg.Alpha) + math.Log1p(tau2/v)))
	s.CS = Interval{Low: math.Max(-1, s.Diff-half), High: math.Min(1, s.Diff+half)}
	s.Reject = s.P <= cfg.Alpha
	return s
}

// Monitor accumulates looks at a running experiment. Feed it the cumulative
// counts at each look, in order; its P is the running minimum of the per-look
// p-values and its CS the running intersection of the per-look intervals, so
// both stay valid however often and whenever the experiment is checked.
// A Monitor is not safe for concurrent use.
type Monitor struct {
	cfg    MSPRTConfig
	last   [2]Counts
	looks  int
	p      float64
	cs     Interval
	reject bool
}

// NewMonitor starts a monitor with no looks.
func NewMonitor(cfg MSPRTConfig) (*Monitor, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Monitor{cfg: cfg, p: 1, cs: Interval{Low: -1, High: 1}}, nil
}

// Observe records a look at cumulative counts, which must not decrease.
// If the running intersection would become empty (an event of probability at
// most alpha when the model holds) the CS is this look's interval.
func (m *Monitor) Observe(a, b Counts) (Sequential, error) {
	if err := a.Validate(); err != nil {
		return Sequential{}, fmt.Errorf("arm A: %w", err)
	}
	if err := b.Validate(); err != nil {
		return Sequential{}, fmt.Errorf("arm B: %w", err)
	}
	for i, c := range [2]Counts{a, b} {
		if c.Trials < m.last[i].Trials || c.Successes < m.last[i].Successes {
			return Sequential{}, fmt.Errorf("%w: arm %c went from %s to %s; counts are cumulative",
				ErrInvalidCounts, 'A'+i, m.last[i], c)
		}
	}
	m.last = [2]Counts{a, b}
	s := look(a, b, m.cfg)
	m.looks++
	m.p = math.Min(m.p, s.P)
	cs := Interval{Low: math.Max(m.cs.Low, s.CS.Low), High: math.Min(m.cs.High, s.CS.High)}
	if cs.Low > cs.High {
		cs = s.CS
	}
	m.cs = cs
	m.reject = m.p <= m.cfg.Alpha
	s.P, s.CS, s.Reject, s.Looks = m.p, m.cs, m.reject, m.looks
	return s, nil
}
