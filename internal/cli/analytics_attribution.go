package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cairn-cdp/cairn/internal/analytics/attribution"
)

const attributionUsage = `usage: cairn analytics attribution --paths FILE [flags]
Multi-touch attribution of a path file in the ChannelAttribution format:
  path;total_conversions;total_conversion_value;total_null
  A > B > A;1;12.5;0
with a header naming the columns (or none: path;conversions[;value[;nulls]]).
Models: first, last, linear, time_decay, position, markov, shapley, or all.
time_decay needs the time of every touch, which path files do not carry.
Flags:`

// pathFileModels are the models a path file supports: all but time_decay.
const pathFileModels = "first,last,linear,position,markov,shapley"

func analyticsAttribution(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("analytics attribution", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, attributionUsage)
		fs.PrintDefaults()
	}
	file := fs.String("paths", "", "path file to attribute (required)")
	models := fs.String("models", pathFileModels, "comma-separated models, or all")
	order := fs.Int("order", 1, "order of the Markov chain: 1, 2 or 3")
	nulls := fs.Bool("nulls", true, "feed non-converting paths into the Markov chain")
	position := fs.String("position", "0.4,0.2,0.4", "first,middle,last shares of the position model")
	samples := fs.Int("shapley-samples", 0, "estimate Shapley values from this many random orderings instead of exactly (0: exact)")
	seed := fs.Uint64("seed", 1, "seed of the Shapley sampler")
	sep := fs.String("sep", ";", "column separator of the path file (one character)")
	chSep := fs.String("channel-sep", ">", "separator between the channels of a path")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) > 0 || *file == "" {
		fmt.Fprintln(stderr, "give the path file with --paths FILE")
		fs.Usage()
		return 2
	}
	opts := attribution.Options{Order: *order, IncludeNulls: *nulls, ShapleySamples: *samples, Seed: *seed}
	if opts.PositionWeights, err = parseWeights(*position); err != nil {
		fmt.Fprintln(stderr, "cairn: --position:", err)
		return 2
	}
	var names []string
	if m := strings.TrimSpace(*models); m != "all" {
		for name := range strings.SplitSeq(m, ",") {
			names = append(names, strings.ToLower(strings.TrimSpace(name)))
		}
	}
	paths, err := readPathFile(ctx, *file, attribution.ParseOptions{Sep: *sep, ChannelSep: *chSep})
	if err != nil {
		return fail(stderr, err)
	}
	res, err := attribution.Run(paths, names, opts)
	if err != nil {
		return fail(stderr, err)
	}
	for _, n := range res.Notes {
		fmt.Fprintln(stderr, "note:", n)
	}
	if len(res.ModelNames) == 0 {
		return fail(stderr, errors.New("no model could run on this file"))
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return fail(stderr, fmt.Errorf("write result: %w", err))
		}
		return 0
	}
	printAttribution(stdout, res)
	return 0
}

func parseWeights(s string) ([3]float64, error) {
	var w [3]float64
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return w, fmt.Errorf("%q: want three numbers first,middle,last such as 0.4,0.2,0.4", s)
	}
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return w, fmt.Errorf("%q: %q is not a number", s, p)
		}
		w[i] = v
	}
	return w, nil
}

func readPathFile(ctx context.Context, name string, opts attribution.ParseOptions) ([]attribution.Path, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("open path file: %w", err)
	}
	defer f.Close()
	paths, err := attribution.ParsePaths(ctxReader{ctx, f}, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return paths, nil
}

// ctxReader stops reading once ctx is done (Ctrl-C on a large file).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// printAttribution prints the models side by side: conversions (with the
// Markov removal effects), value, then shares.
func printAttribution(w io.Writer, res attribution.Result) {
	t := res.Totals
	fmt.Fprintf(w, "%d paths: %s conversions, value %s, %s non-converting\n",
		t.Paths, num(t.Conversions), num(t.Value), num(t.Nulls))
	if m := res.Markov; m != nil {
		with := "included"
		if !m.IncludeNulls {
			with = "left out"
		}
		fmt.Fprintf(w, "markov: order %d, %d states, P(conversion) %.4f, non-converting paths %s, %s solve\n",
			m.Order, m.States, m.ConversionProbability, with, m.Solver)
	}
	if se := res.ShapleyError; se != nil {
		fmt.Fprintf(w, "shapley: estimated from %d random orderings; ± is the %.0f%% confidence half-width\n",
			se.Samples, 100*se.Confidence)
	}
	sections := []struct {
		title string
		get   func(attribution.ChannelCredit) float64
		pct   bool
	}{
		{"ATTRIBUTED CONVERSIONS", func(c attribution.ChannelCredit) float64 { return c.Conversions }, false},
		{"ATTRIBUTED VALUE", func(c attribution.ChannelCredit) float64 { return c.Value }, false},
		{"SHARE OF CONVERSIONS", func(c attribution.ChannelCredit) float64 { return c.Share }, true},
	}
	for si, s := range sections {
		header := []string{"CHANNEL"}
		for _, m := range res.ModelNames {
			header = append(header, strings.ToUpper(m))
		}
		removal := si == 0 && res.RemovalEffects != nil
		if removal {
			header = append(header, "REMOVAL EFFECT")
		}
		cell := func(v float64) string {
			if s.pct {
				return fmt.Sprintf("%.2f%%", 100*v)
			}
			return num(v)
		}
		rows := [][]string{header}
		sums := make([]float64, len(res.ModelNames))
		for i, ch := range res.Channels {
			row := []string{ch}
			for k, m := range res.ModelNames {
				v := s.get(res.Models[m][i])
				sums[k] += v
				text := cell(v)
				if se := res.ShapleyError; se != nil && m == attribution.Shapley && !s.pct {
					hw := se.Conversions[ch]
					if si == 1 {
						hw = se.Value[ch]
					}
					text += " ±" + num(hw)
				}
				row = append(row, text)
			}
			if removal {
				row = append(row, fmt.Sprintf("%.4f", res.RemovalEffects[ch]))
			}
			rows = append(rows, row)
		}
		total := []string{"TOTAL"}
		for _, v := range sums {
			total = append(total, cell(v))
		}
		rows = append(rows, total)
		fmt.Fprintf(w, "\n%s\n", s.title)
		printTable(w, rows)
	}
}

// printTable prints rows with the first column left-aligned and the others
// right-aligned, two spaces apart.
func printTable(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
