package attribution

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The worked example of the ChannelAttribution vignette (Altomare, 2015).
func TestWorkedExample(t *testing.T) {
	t.Parallel()
	paths := loadPaths(t, "worked_example_altomare_2015.csv")
	require.Len(t, paths, 3)
	res, err := Run(paths, nil, Options{IncludeNulls: true})
	require.NoError(t, err)
	require.Equal(t, []string{First, Last, Linear, Position, Markov, Shapley}, res.ModelNames)
	require.Len(t, res.Notes, 1, "time decay is unavailable on a path file")
	require.Contains(t, res.Notes[0], "time_decay not computed")
	require.Equal(t, []string{"A", "B"}, res.Channels)

	require.InDelta(t, 1, res.RemovalEffects["A"], 1e-12)
	require.InDelta(t, 0.5, res.RemovalEffects["B"], 1e-12)
	require.InDelta(t, 1, res.Markov.ConversionProbability, 1e-12)
	want := map[string][2]float64{ // model → credits of A and B
		First:    {3, 0},
		Last:     {3, 0},
		Linear:   {3.0/6 + 3.0/5 + 1, 3.0/6 + 2.0/5},
		Position: {0.85 + (0.8 + 0.2/3) + 1, 0.15 + 0.4/3},
		Markov:   {2, 1},
		Shapley:  {2, 1},
	}
	for m, ab := range want {
		a, b := credit(t, res, m, "A"), credit(t, res, m, "B")
		require.InDelta(t, ab[0], a.Conversions, 1e-12, m)
		require.InDelta(t, ab[1], b.Conversions, 1e-12, m)
		require.InDelta(t, ab[0], a.Value, 1e-12, m, "each conversion is worth 1")
		require.InDelta(t, ab[0]/3, a.Share, 1e-12, m)
	}
	requireSums(t, res)
}

func TestDataInvariants(t *testing.T) {
	t.Parallel()
	paths := loadPaths(t, "Data.csv")
	for _, order := range []int{1, 2, 3} {
		for _, nulls := range []bool{true, false} {
			t.Run("", func(t *testing.T) {
				t.Parallel()
				res, err := Run(paths, nil, Options{Order: order, IncludeNulls: nulls})
				require.NoError(t, err)
				require.Equal(t, 10000, res.Totals.Paths)
				require.InDelta(t, 19785, res.Totals.Conversions, 1e-9)
				require.InDelta(t, 74802.97158721073, res.Totals.Value, 1e-6)
				require.InDelta(t, 68602, res.Totals.Nulls, 1e-9)
				require.Len(t, res.Channels, 12)
				requireSums(t, res)
				require.Equal(t, order, res.Markov.Order)
				for ch, re := range res.RemovalEffects {
					require.True(t, re > 0 && re <= 1, "removal effect of %s: %v", ch, re)
				}
				if !nulls {
					require.InDelta(t, 1, res.Markov.ConversionProbability, 1e-12, "no path ends in (null)")
				} else {
					// The fitted chain reproduces the observed conversion rate
					// at every order (flow conservation).
					require.InDelta(t, 19785.0/(19785+68602), res.Markov.ConversionProbability, 1e-12)
				}
				_, err = json.Marshal(res)
				require.NoError(t, err)
			})
		}
	}
}

// Higher orders see more of the path, so their chains have more states.
func TestDataOrdersGrow(t *testing.T) {
	t.Parallel()
	paths := loadPaths(t, "Data.csv")
	want := map[int]int{1: 12, 2: 120, 3: 933}
	for order, states := range want {
		res, err := Run(paths, []string{Markov}, Options{Order: order, IncludeNulls: true})
		require.NoError(t, err)
		require.Equal(t, states, res.Markov.States, "order %d", order)
	}
}

func TestRenamingPermutesCredits(t *testing.T) {
	t.Parallel()
	paths := loadPaths(t, "Data.csv")[:2000]
	res, err := Run(paths, nil, Options{Order: 2, IncludeNulls: true})
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(7, 7))
	names := res.Channels
	perm := rng.Perm(len(names))
	rename := map[string]string{}
	for i, j := range perm {
		rename[names[i]] = "ch-" + names[j]
	}
	renamed := make([]Path, len(paths))
	for i, p := range paths {
		renamed[i] = p
		renamed[i].Channels = make([]string, len(p.Channels))
		for k, c := range p.Channels {
			renamed[i].Channels[k] = rename[c]
		}
	}
	res2, err := Run(renamed, nil, Options{Order: 2, IncludeNulls: true})
	require.NoError(t, err)
	for _, m := range res.ModelNames {
		for _, c := range res.Models[m] {
			c2 := credit(t, res2, m, rename[c.Channel])
			require.InDelta(t, c.Conversions, c2.Conversions, 1e-9, "%s %s", m, c.Channel)
			require.InDelta(t, c.Value, c2.Value, 1e-9, "%s %s", m, c.Channel)
		}
	}
	for ch, re := range res.RemovalEffects {
		require.InDelta(t, re, res2.RemovalEffects[rename[ch]], 1e-12)
	}
}

func TestOneChannelGetsEverything(t *testing.T) {
	t.Parallel()
	paths := []Path{p(2, 1, "email"), p(1, 3, "email", "email", "email"), p(0, 5, "email", "email")}
	for _, order := range []int{1, 2, 3} {
		res, err := Run(paths, nil, Options{Order: order, IncludeNulls: true})
		require.NoError(t, err)
		for _, m := range res.ModelNames {
			require.Len(t, res.Models[m], 1)
			c := res.Models[m][0]
			require.Equal(t, "email", c.Channel)
			require.InDelta(t, 3, c.Conversions, 1e-12, m)
			require.InDelta(t, 30, c.Value, 1e-12, m)
			require.InDelta(t, 1, c.Share, 1e-12, m)
		}
		require.Equal(t, map[string]float64{"email": 1}, res.RemovalEffects)
	}
}

func TestEmptyData(t *testing.T) {
	t.Parallel()
	for name, paths := range map[string][]Path{
		"no paths":        nil,
		"no conversions":  {p(0, 4, "a", "b"), p(0, 1, "b")},
		"nulls left out":  {{Channels: []string{"a"}, Nulls: 2}},
		"zero everything": {{Channels: []string{"a"}}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := Run(paths, nil, Options{IncludeNulls: name != "nulls left out", ShapleySamples: 10})
			require.NoError(t, err)
			b, err := json.Marshal(res)
			require.NoError(t, err, "no NaN or Inf reaches the output")
			require.NotContains(t, string(b), "null,", "lists are empty, not null")
			require.NotNil(t, res.Channels)
			for _, m := range res.ModelNames {
				require.NotNil(t, res.Models[m])
				for _, c := range res.Models[m] {
					require.Equal(t, ChannelCredit{Channel: c.Channel}, c)
				}
			}
		})
	}
}

func TestPosition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		weights [3]float64
		path    []string
		want    map[string]float64
	}{
		{"one touch", [3]float64{}, []string{"a"}, map[string]float64{"a": 1}},
		{"two touches", [3]float64{}, []string{"a", "b"}, map[string]float64{"a": 0.5, "b": 0.5}},
		{"two touches, lopsided weights", [3]float64{0.6, 0.2, 0.2}, []string{"a", "b"}, map[string]float64{"a": 0.5, "b": 0.5}},
		{"three", [3]float64{}, []string{"a", "b", "c"}, map[string]float64{"a": 0.4, "b": 0.2, "c": 0.4}},
		{"middle split per touch", [3]float64{}, []string{"a", "b", "b", "c", "a"}, map[string]float64{"a": 0.8, "b": 0.2 * 2 / 3, "c": 0.2 / 3}},
		{"custom", [3]float64{0.3, 0.4, 0.3}, []string{"a", "b", "c", "d"}, map[string]float64{"a": 0.3, "b": 0.2, "c": 0.2, "d": 0.3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := Run([]Path{{Channels: tt.path, Conversions: 1}}, []string{Position}, Options{PositionWeights: tt.weights})
			require.NoError(t, err)
			for ch, w := range tt.want {
				require.InDelta(t, w, credit(t, res, Position, ch).Conversions, 1e-12, ch)
			}
		})
	}
}

func TestLinearPerOccurrence(t *testing.T) {
	t.Parallel()
	res, err := Run([]Path{{Channels: []string{"a", "b", "a", "c"}, Conversions: 1, Value: 8}}, []string{Linear, Shapley}, Options{})
	require.NoError(t, err)
	require.InDelta(t, 0.5, credit(t, res, Linear, "a").Conversions, 1e-15, "touched twice in four")
	require.InDelta(t, 4, credit(t, res, Linear, "a").Value, 1e-15)
	require.InDelta(t, 1.0/3, credit(t, res, Shapley, "a").Conversions, 1e-15, "shapley counts the set")
}

func TestTimeDecay(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	tests := []struct {
		name     string
		path     Path
		halfLife time.Duration
		want     map[string]float64
		err      string
	}{
		{"one half-life apart", Path{Channels: []string{"a", "b"}, Times: []time.Time{t0, t0.Add(7 * day)}, ConvertedAt: t0.Add(7 * day), Conversions: 3},
			0, map[string]float64{"a": 1, "b": 2}, ""},
		{"ages from the conversion", Path{Channels: []string{"a", "b", "a"}, Times: []time.Time{t0, t0.Add(day), t0.Add(2 * day)}, ConvertedAt: t0.Add(3 * day), Conversions: 1},
			day, map[string]float64{"a": (1.0/8 + 1.0/2) / (1.0/8 + 1.0/4 + 1.0/2), "b": (1.0 / 4) / (1.0/8 + 1.0/4 + 1.0/2)}, ""},
		{"ancient touches do not underflow", Path{Channels: []string{"a", "b"}, Times: []time.Time{t0, t0.Add(time.Hour)}, ConvertedAt: t0.Add(100000 * day), Conversions: 1},
			time.Hour, map[string]float64{"a": 0.5 / 1.5, "b": 1 / 1.5}, ""},
		{"touch after conversion", Path{Channels: []string{"a"}, Times: []time.Time{t0.Add(day)}, ConvertedAt: t0, Conversions: 1},
			0, nil, "after the conversion"},
		{"times do not match", Path{Channels: []string{"a"}, Times: []time.Time{t0, t0}, Conversions: 1}, 0, nil, "2 times for 1 touches"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := Run([]Path{tt.path}, []string{TimeDecay}, Options{HalfLife: tt.halfLife})
			if tt.err != "" {
				require.ErrorIs(t, err, ErrBadPath)
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Empty(t, res.Notes)
			for ch, w := range tt.want {
				require.InDelta(t, w, credit(t, res, TimeDecay, ch).Conversions, 1e-9, ch)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	ok := []Path{p(1, 0, "a")}
	tests := []struct {
		name   string
		paths  []Path
		models []string
		opts   Options
		want   error
		msg    string
	}{
		{"unknown model", ok, []string{"u-shaped"}, Options{}, ErrUnknownModel, `"u-shaped"`},
		{"order 4", ok, nil, Options{Order: 4}, ErrBadOptions, "order 4"},
		{"weights not summing to 1", ok, nil, Options{PositionWeights: [3]float64{0.5, 0.5, 0.5}}, ErrBadOptions, "sum to 1.5"},
		{"negative weight", ok, nil, Options{PositionWeights: [3]float64{1.2, -0.2, 0}}, ErrBadOptions, "non-negative"},
		{"negative half-life", ok, nil, Options{HalfLife: -time.Hour}, ErrBadOptions, "half-life"},
		{"one sample", ok, nil, Options{ShapleySamples: 1}, ErrBadOptions, "at least 2"},
		{"empty path", []Path{p(1, 0, "a"), {Conversions: 1}}, nil, Options{}, ErrBadPath, "path 2: bad path: no touchpoint"},
		{"negative", []Path{{Channels: []string{"a"}, Conversions: -1}}, nil, Options{}, ErrBadPath, "conversions -1"},
		{"value without conversions", []Path{{Channels: []string{"a"}, Value: 2}}, nil, Options{}, ErrBadPath, "value 2 without conversions"},
		{"NaN value", []Path{{Channels: []string{"a"}, Value: math.NaN()}}, nil, Options{}, ErrBadPath, "value NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Run(tt.paths, tt.models, tt.opts)
			require.True(t, errors.Is(err, tt.want), "%v", err)
			require.ErrorContains(t, err, tt.msg)
		})
	}
}

func TestModelsSelectedInOrder(t *testing.T) {
	t.Parallel()
	res, err := Run([]Path{p(1, 0, "a")}, []string{Shapley, First, Shapley}, Options{})
	require.NoError(t, err)
	require.Equal(t, []string{First, Shapley}, res.ModelNames)
	require.Len(t, res.Models, 2)
	require.Nil(t, res.RemovalEffects, "markov was not asked for")
}
