package cli

import (
	"context"
	"fmt"
	"io"
)

const analyticsUsage = `usage: cairn analytics MODEL [flags]
  attribution --paths FILE [--models first,last,linear,position,markov,shapley] [--order N] [-json]
      multi-touch attribution on a ChannelAttribution path file
  clv --transactions FILE [--calibration-end YYYY-MM-DD] [--predict-weeks T] [--output FILE.csv] [-json]
      BG/NBD (or Pareto/NBD) + Gamma-Gamma customer lifetime value on CDNOW or CSV transactions
  abtest --a SUCC/TRIALS --b SUCC/TRIALS [--split 50,50] [-json]
      two-proportion z-test, Bayesian P(B beats A), sample-ratio check, always-valid sequential test
Each model takes -h for its flags. These run offline on files; they need no server.`

// runAnalytics dispatches the offline analytics models.
func runAnalytics(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stderr, analyticsUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	models := map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) int{
		"attribution": analyticsAttribution,
		"clv":         analyticsCLV,
		"abtest":      analyticsABTest,
	}
	run, ok := models[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "cairn analytics: unknown model %q\n%s\n", args[0], analyticsUsage)
		return 2
	}
	return run(ctx, args[1:], stdout, stderr)
}
