package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/cairn-cdp/cairn/internal/analytics/abtest"
)

const abtestUsage = `usage: cairn analytics abtest --a SUCC/TRIALS --b SUCC/TRIALS [flags]
Compares arm B (treatment) with arm A (control or holdout) offline: sample-ratio
check, z-test with intervals for the difference and the lift, Bayesian
P(B beats A) and expected loss, and the always-valid (mSPRT) p-value.
  --a, --b SUCC/TRIALS     conversions and customers of each arm, e.g. --a 120/2400
  --alpha A                significance level of every test and interval (0.05)
  --split A/B              planned traffic split for the sample-ratio check (50/50; 90/10 for a holdout)
  --revenue-a MEAN,SD      revenue per customer in arm A (customers = TRIALS);
  --revenue-b MEAN,SD      with both, adds Welch's t-test
  --prior ALPHA,BETA       Beta prior of each arm's rate (1,1: uniform)
  --tau2 V                 mSPRT mixing variance on the difference of proportions (0.0001)
  --min-trials N           mSPRT burn-in: customers per arm before a look counts (100; 0: none)
  -json                    print the full analysis as JSON`

// analyticsABTest is `cairn analytics abtest`: ad-hoc statistics for one
// two-arm experiment, computed locally.
func analyticsABTest(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("analytics abtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, abtestUsage) }
	a := fs.String("a", "", "arm A as SUCC/TRIALS")
	b := fs.String("b", "", "arm B as SUCC/TRIALS")
	alpha := fs.Float64("alpha", abtest.DefaultAlpha, "significance level")
	split := fs.String("split", "50/50", "planned split A/B")
	revA := fs.String("revenue-a", "", "revenue per customer in A as MEAN,SD")
	revB := fs.String("revenue-b", "", "revenue per customer in B as MEAN,SD")
	prior := fs.String("prior", "1,1", "Beta prior as ALPHA,BETA")
	tau2 := fs.Float64("tau2", abtest.DefaultMixingVariance, "mSPRT mixing variance")
	minTrials := fs.Int64("min-trials", abtest.DefaultMinTrials, "mSPRT burn-in per arm")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	in, err := abtestInput(*a, *b, *split, *revA, *revB, *prior, pos)
	if err != nil {
		fmt.Fprintf(stderr, "cairn: %v\n\n%s\n", err, abtestUsage)
		return 2
	}
	in.Alpha = *alpha
	in.Sequential = abtest.MSPRTConfig{MixingVariance: *tau2, MinTrials: *minTrials}
	if *minTrials == 0 {
		in.Sequential.MinTrials = -1 // the flag's 0 means no burn-in
	}
	rep, err := abtest.Analyze(in)
	if err != nil {
		return fail(stderr, err)
	}
	if *asJSON {
		raw, err := json.Marshal(rep)
		if err != nil {
			return fail(stderr, fmt.Errorf("encode report: %w", err))
		}
		printJSON(stdout, raw)
		return 0
	}
	printABTest(stdout, rep)
	return 0
}

// abtestInput turns the text flags into an analysis input.
func abtestInput(a, b, split, revA, revB, prior string, pos []string) (abtest.Input, error) {
	var in abtest.Input
	if len(pos) > 0 {
		return in, fmt.Errorf("unexpected argument %q", pos[0])
	}
	if a == "" || b == "" {
		return in, errors.New("both --a and --b are required")
	}
	var err error
	if in.A, err = abtest.ParseCounts(a); err != nil {
		return in, fmt.Errorf("--a: %w", err)
	}
	if in.B, err = abtest.ParseCounts(b); err != nil {
		return in, fmt.Errorf("--b: %w", err)
	}
	wa, wb, err := parsePair(split, "/:,")
	if err != nil {
		return in, fmt.Errorf("--split: %w", err)
	}
	in.Planned = []float64{wa, wb}
	pa, pb, err := parsePair(prior, ",")
	if err != nil {
		return in, fmt.Errorf("--prior: %w", err)
	}
	in.Bayes.Prior = abtest.BetaDist{Alpha: pa, Beta: pb}
	if (revA == "") != (revB == "") {
		return in, errors.New("give --revenue-a and --revenue-b together")
	}
	if revA != "" {
		if in.RevenueA, err = parseRevenue(revA, in.A.Trials); err != nil {
			return in, fmt.Errorf("--revenue-a: %w", err)
		}
		if in.RevenueB, err = parseRevenue(revB, in.B.Trials); err != nil {
			return in, fmt.Errorf("--revenue-b: %w", err)
		}
	}
	return in, nil
}

// parsePair reads two finite numbers separated by one of seps.
func parsePair(s, seps string) (float64, float64, error) {
	i := strings.IndexAny(s, seps)
	if i < 0 {
		return 0, 0, fmt.Errorf("%q is not two numbers separated by one of %q", s, seps)
	}
	x, errX := strconv.ParseFloat(strings.TrimSpace(s[:i]), 64)
	y, errY := strconv.ParseFloat(strings.TrimSpace(s[i+1:]), 64)
	if err := errors.Join(errX, errY); err != nil {
		return 0, 0, fmt.Errorf("%q: %w", s, err)
	}
	if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
		return 0, 0, fmt.Errorf("%q: numbers must be finite", s)
	}
	return x, y, nil
}

// parseRevenue reads MEAN,SD for n customers.
func parseRevenue(s string, n int64) (*abtest.Sample, error) {
	mean, sd, err := parsePair(s, ",")
	if err != nil {
		return nil, err
	}
	if sd < 0 {
		return nil, fmt.Errorf("standard deviation %v is negative", sd)
	}
	return &abtest.Sample{N: n, Mean: mean, Var: sd * sd}, nil
}

// printABTest writes the readable report.
func printABTest(w io.Writer, r abtest.Report) {
	conf := fmt.Sprintf("%g%%", 100*(1-r.Alpha))
	fmt.Fprintf(w, "A/B test: B (treatment) against A (control), alpha %g\n\n", r.Alpha)
	fmt.Fprintf(w, "  arm  %12s  %12s  %8s\n", "conversions", "customers", "rate")
	for _, arm := range []struct {
		name string
		c    abtest.Counts
	}{{"A", r.A}, {"B", r.B}} {
		fmt.Fprintf(w, "  %-3s  %12d  %12d  %7.2f%%\n", arm.name, arm.c.Successes, arm.c.Trials, 100*arm.c.Rate())
	}

	s := r.SRM
	verdict := "ok"
	if s.Mismatch {
		verdict = "MISMATCH: assignment is broken, do not trust the results below"
	}
	fmt.Fprintf(w, "\nSample ratio  planned %.4g%% / %.4g%%, chi-square %.3f, p = %.4g: %s\n",
		100*s.Planned[0], 100*s.Planned[1], s.ChiSquare, s.P, verdict)

	if z := r.ZTest; z != nil {
		fmt.Fprintf(w, "\nZ-test        difference B - A %+.3f pp, %s CI [%+.3f, %+.3f] pp\n",
			100*z.Diff, conf, 100*z.DiffCI.Low, 100*z.DiffCI.High)
		if z.Lift != nil {
			fmt.Fprintf(w, "              relative lift %+.2f%%, %s CI [%+.2f%%, %+.2f%%] (delta method, log ratio)\n",
				100*z.Lift.Estimate, conf, 100*z.Lift.CI.Low, 100*z.Lift.CI.High)
		}
		fmt.Fprintf(w, "              z = %.4f (pooled, A - B), p = %.4g: %s\n", z.Z, z.P, significance(z.P, r.Alpha))
	}
	if t := r.Revenue; t != nil {
		fmt.Fprintf(w, "\nRevenue       per customer A %.4g, B %.4g; difference B - A %+.4g, %s CI [%+.4g, %+.4g]\n",
			t.MeanA, t.MeanB, t.Diff, conf, t.DiffCI.Low, t.DiffCI.High)
		fmt.Fprintf(w, "              Welch t = %.4f (A - B), df = %.1f, p = %.4g: %s\n", t.T, t.DF, t.P, significance(t.P, r.Alpha))
	}

	bay := r.Bayes
	method := bay.Method
	if bay.Method == abtest.MethodMonteCarlo {
		method = fmt.Sprintf("%s, %d draws, seed %d, standard error %.2g", method, bay.Draws, bay.Seed, bay.MCError)
	}
	fmt.Fprintf(w, "\nBayesian      P(B beats A) = %.2f%% (Beta(%g, %g) prior, %s)\n",
		100*bay.PBest[1], bay.Prior.Alpha, bay.Prior.Beta, method)
	fmt.Fprintf(w, "              expected loss if you keep A %.4f pp, if you ship B %.4f pp\n",
		100*bay.ExpectedLoss[0], 100*bay.ExpectedLoss[1])

	q := r.Sequential
	fmt.Fprintf(w, "\nSequential    always-valid p = %.4g, %s confidence sequence [%+.3f, %+.3f] pp: %s\n",
		q.P, conf, 100*q.CS.Low, 100*q.CS.High, significance(q.P, q.Alpha))
	fmt.Fprintf(w, "              mSPRT, mixing variance %g, burn-in %d per arm; valid however often you look\n",
		q.MixingVariance, max(q.MinTrials, 0))

	if len(r.Notes) > 0 {
		fmt.Fprintln(w, "\nNotes")
		for _, n := range r.Notes {
			fmt.Fprintf(w, "  - %s\n", n)
		}
	}
}

func significance(p, alpha float64) string {
	if p <= alpha {
		return fmt.Sprintf("significant at %g", alpha)
	}
	return fmt.Sprintf("not significant at %g", alpha)
}
