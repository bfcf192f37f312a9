package cli

import (
	"context"
	"fmt"
	"io"
)

const analyticsUsage = `usage: cairn analytics COMMAND [flags]
Over a running server's data (admin API; --url, --data and -json as for every online command):
  funnel --steps "A,B,C" | -f REQUEST.json [--window 7d] [--order strict|any] [--breakdown channel|source|stage|property:PATH|segment:ID]
        [--save-dropoff STEP --segment-name NAME]
      conversion through ordered steps: counts, conversion from the previous and first step, median time
  paths --from EVENT | --to EVENT [--depth N] [--top N] [--level event|channel]
      the most common paths from or to an event
  retention [--cohort-event E] [--return-event E] [--period day|week|month] [--periods N]
      cohort matrix of return rates
  attribution [--conversion E] [--value PROP] [--lookback 30d] [--by channel|campaign] [--models ...] [--order N]
      multi-touch attribution of conversions to customers' touches
  clv [--event E] [--revenue PROP] [--calibration-end DAY] [--horizon-weeks W] [--discount-rate R] [--apply]
      BG/NBD + Gamma-Gamma lifetime value; --apply writes p_alive, predicted_* traits onto customers
  lift --exposure EVENT --holdout EVENT [--conversion E] [--window 30d] [--first-conversion] [--holdout-share S]
      incrementality of a channel: conversion after treatment records against its holdout's
  experiment JOURNEY NODE [--metric E] [--window 7d]
      arms of an experiment or random split node: rates, z-tests, P(best), sample-ratio check
  journey-report JOURNEY
      per-node counts, treated against holdout, split arms
  stages [--metric opened|clicked|converted] [--sort rate|sends]
      response rate by lifecycle stage × template × channel
  stage-flow [--period day|week|month]
      lifecycle-stage transitions per period
  journey-map [--window 30d] [--rows N]
      touchpoints (channel × event) by lifecycle stage: customers and how many moved on to a later stage
funnel, paths, retention, lift, stages, stage-flow and journey-map take --since and --until (RFC 3339).
Offline, on files (no server needed):
  attribution --paths FILE [--models first,last,linear,position,markov,shapley] [--order N] [-json]
      multi-touch attribution on a ChannelAttribution path file
  clv --transactions FILE [--calibration-end YYYY-MM-DD] [--predict-weeks T] [--output FILE.csv] [-json]
      BG/NBD (or Pareto/NBD) + Gamma-Gamma customer lifetime value on CDNOW or CSV transactions
  abtest --a SUCC/TRIALS --b SUCC/TRIALS [--split 50,50] [-json]
      two-proportion z-test, Bayesian P(B beats A), sample-ratio check, always-valid sequential test
Each command takes -h for its flags.`

// analyticsModel is one analytics command.
type analyticsModel func(ctx context.Context, args []string, stdout, stderr io.Writer) int

// runAnalytics dispatches the analytics commands: over a running server's
// data, or offline on files.
func runAnalytics(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stderr, analyticsUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	models := map[string]analyticsModel{
		"funnel":         analyticsFunnel,
		"paths":          analyticsPaths,
		"retention":      analyticsRetention,
		"lift":           analyticsLift,
		"attribution":    fileOr("paths", analyticsAttribution, analyticsAttributionOnline),
		"clv":            fileOr("transactions", analyticsCLV, analyticsCLVOnline),
		"abtest":         analyticsABTest,
		"experiment":     analyticsExperiment,
		"journey-report": analyticsJourneyReport,
		"stages":         analyticsStages,
		"stage-flow":     analyticsStageFlow,
		"journey-map":    analyticsJourneyMap,
	}
	run, ok := models[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "cairn analytics: unknown command %q\n%s\n", args[0], analyticsUsage)
		return 2
	}
	return run(ctx, args[1:], stdout, stderr)
}
