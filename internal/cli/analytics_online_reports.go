package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/abtest"
	"github.com/cairn-cdp/cairn/internal/analytics/report"
)

const experimentUsage = `usage: cairn analytics experiment JOURNEY NODE [flags]
Per-arm conversions of an experiment or random split node of a journey, with
z-tests against the first arm, the Bayesian P(best) and the sample-ratio check
(GET /v1/analytics/experiments/{journey}/{node}).
Flags:`

const journeyReportUsage = `usage: cairn analytics journey-report JOURNEY [flags]
Per node: entered, waiting, sent, skipped, failed, delivered, opened, clicked,
converted; treated against holdout; the arms of splits
(GET /v1/analytics/journeys/{id}/report).
Flags:`

const stagesUsage = `usage: cairn analytics stages [flags]
Which message works at which lifecycle stage: the response rate by stage at
send time × template × channel (GET /v1/analytics/stages/report).
Flags:`

const stageFlowUsage = `usage: cairn analytics stage-flow [flags]
Lifecycle-stage transitions per period (GET /v1/analytics/stages/flow).
Flags:`

func analyticsExperiment(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := newOnlineCmd("experiment", experimentUsage, stderr)
	o.fs.String("metric", "", "conversion event (default the node's metric)")
	o.fs.String("window", "", "count conversions this long after entering, such as 7d (default the node's window)")
	o.fs.Int("version", 0, "journey version (default the live one)")
	pos, ok := o.parse(args, "JOURNEY", "NODE")
	if !ok {
		return 2
	}
	path := "/v1/analytics/experiments/" + url.PathEscape(pos[0]) + "/" + url.PathEscape(pos[1]) +
		o.query(map[string]string{"metric": "metric", "window": "window", "version": "version"})
	return call(ctx, o, "GET", path, nil, stdout, printExperiment)
}

// experimentAnswer is the experiment response.
type experimentAnswer struct {
	JourneyID string `json:"journey_id"`
	Version   int    `json:"version"`
	Node      string `json:"node"`
	Kind      string `json:"kind"`
	Metric    string `json:"metric"`
	Window    string `json:"window"`
	Arms      []struct {
		ID      string  `json:"id"`
		Planned float64 `json:"planned_percent"`
		abtest.Counts
		Rate float64 `json:"rate"`
	} `json:"arms"`
	Comparisons []struct {
		A      string        `json:"a"`
		B      string        `json:"b"`
		Report abtest.Report `json:"report"`
	} `json:"comparisons"`
	Bayes *abtest.Bayes    `json:"bayes"`
	SRM   abtest.SRMResult `json:"srm"`
	Notes []string         `json:"notes"`
}

func printExperiment(w io.Writer, r *experimentAnswer) {
	within := "any time after entering"
	if r.Window != "" {
		within = "within " + r.Window + " of entering"
	}
	fmt.Fprintf(w, "journey %s v%d, %s node %s: %q %s\n", r.JourneyID, r.Version, r.Kind, r.Node, r.Metric, within)
	tw := newTable(w)
	fmt.Fprintln(tw, "ARM\tPLANNED\tTRIALS\tCONVERSIONS\tRATE\tP(BEST)")
	for i, a := range r.Arms {
		best := "-"
		if r.Bayes != nil && i < len(r.Bayes.PBest) {
			best = pct(r.Bayes.PBest[i])
		}
		fmt.Fprintf(tw, "%s\t%g%%\t%d\t%d\t%s\t%s\n", a.ID, a.Planned, a.Trials, a.Successes, pct(a.Rate), best)
	}
	tw.Flush()
	if len(r.Comparisons) > 0 {
		fmt.Fprintln(w)
		tw = newTable(w)
		fmt.Fprintln(tw, "COMPARISON\tDIFFERENCE\tLIFT\tP-VALUE")
		for _, c := range r.Comparisons {
			diff, lift, p := "-", "-", "-"
			if z := c.Report.ZTest; z != nil {
				diff, p = fmt.Sprintf("%+.1f points", 100*z.Diff), strconv.FormatFloat(z.P, 'f', 4, 64)
				if z.Lift != nil {
					lift = fmt.Sprintf("%+.1f%%", 100*z.Lift.Estimate)
				}
			}
			fmt.Fprintf(tw, "%s vs %s\t%s\t%s\t%s\n", c.B, c.A, diff, lift, p)
		}
		tw.Flush()
		mismatch := "no mismatch"
		if r.SRM.Mismatch {
			mismatch = "MISMATCH: the split is not the planned one"
		}
		fmt.Fprintf(w, "sample ratio: chi-square %.2f, p %.4f (%s)\n", r.SRM.ChiSquare, r.SRM.P, mismatch)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "note:", n)
	}
}

func analyticsJourneyReport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := newOnlineCmd("journey-report", journeyReportUsage, stderr)
	pos, ok := o.parse(args, "JOURNEY")
	if !ok {
		return 2
	}
	return call(ctx, o, "GET", "/v1/analytics/journeys/"+url.PathEscape(pos[0])+"/report", nil, stdout, printJourneyReport)
}

// journeyReportAnswer is the journey report response.
type journeyReportAnswer struct {
	report.JourneyReport
	Name string `json:"name"`
}

func printJourneyReport(w io.Writer, r *journeyReportAnswer) {
	c := r.Conversion
	fmt.Fprintf(w, "journey %s (%s): %d instances; converted: treated %s (%s), holdout %s (%s)%s\n", r.JourneyID, r.Name, r.Instances,
		c.Treated, pct(c.TreatedRate), c.Holdout, pct(c.HoldoutRate), flagged(c.Underperforming))
	if len(r.Exited) > 0 {
		var exits []string
		for _, reason := range slices.Sorted(maps.Keys(r.Exited)) {
			exits = append(exits, fmt.Sprintf("%s %d", reason, r.Exited[reason]))
		}
		fmt.Fprintln(w, "exited:", strings.Join(exits, ", "))
	}
	tw := newTable(w)
	fmt.Fprintln(tw, "NODE\tENTERED\tWAITING\tSENT\tSKIPPED\tFAILED\tDELIVERED\tOPENED\tCLICKED\tCONVERTED\tSENT VS CONTROL")
	for _, n := range r.Nodes {
		lift := "-"
		if l := n.Control; l != nil {
			lift = fmt.Sprintf("%s vs %s, p %.4f%s", l.Sent, l.Control, l.Test.P, flagged(l.Underperforming))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", n.Node, n.Entered, n.Waiting, n.Sent, n.Skipped, n.Failed,
			n.Delivered, n.Opened, n.Clicked, n.Converted, lift)
	}
	tw.Flush()
	if len(r.Splits) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw = newTable(w)
	fmt.Fprintln(tw, "SPLIT\tARM\tCONVERTED\tRATE\tVS BEST (p)")
	for _, s := range r.Splits {
		for _, a := range s.Arms {
			vs := "best"
			if a.VsBest != nil {
				vs = strconv.FormatFloat(a.VsBest.P, 'f', 4, 64)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s%s\n", s.Node, a.Arm, a.Counts, pct(a.Rate), vs, flagged(a.Underperforming))
		}
	}
	tw.Flush()
}

// flagged marks an underperformer.
func flagged(under bool) string {
	if under {
		return " UNDERPERFORMING"
	}
	return ""
}

func analyticsStages(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := newOnlineCmd("stages", stagesUsage, stderr)
	o.choice("metric", "response counted (server default converted)", "opened", "clicked", "converted")
	o.choice("sort", "row order (server default rate)", "rate", "sends")
	o.spanFlags()
	if _, ok := o.parse(args); !ok {
		return 2
	}
	path := "/v1/analytics/stages/report" + o.query(map[string]string{"metric": "metric", "sort": "sort", "since": "since", "until": "until"})
	return call(ctx, o, "GET", path, nil, stdout, func(w io.Writer, r *report.StageReport) {
		fmt.Fprintf(w, "%s rate by stage at send time, sorted by %s\n", r.Metric, r.Sort)
		tw := newTable(w)
		fmt.Fprintln(tw, "STAGE\tTEMPLATE\tCHANNEL\tSENDS\tRESPONDERS\tRATE\t95% CI\tSTAGE RATE\tSIGNIFICANT")
		for _, s := range r.Rows {
			sig := "-"
			if s.Significant {
				sig = "yes"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%s-%s\t%s\t%s\n", s.Stage, s.Template, s.Channel, s.Sends, s.Responders,
				pct(s.Rate), pct(s.CI.Low), pct(s.CI.High), pct(s.StageRate), sig)
		}
		tw.Flush()
	})
}

func analyticsStageFlow(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := newOnlineCmd("stage-flow", stageFlowUsage, stderr)
	o.choice("period", "period (server default week)", "day", "week", "month")
	o.spanFlags()
	if _, ok := o.parse(args); !ok {
		return 2
	}
	path := "/v1/analytics/stages/flow" + o.query(map[string]string{"period": "period", "since": "since", "until": "until"})
	return call(ctx, o, "GET", path, nil, stdout, func(w io.Writer, r *report.FlowReport) {
		fmt.Fprintf(w, "stage changes by %s\n", r.Period)
		tw := newTable(w)
		fmt.Fprintln(tw, "PERIOD START\tCHANGES\tTRANSITIONS")
		for _, p := range r.Periods {
			var moves []string
			for _, t := range p.Transitions {
				moves = append(moves, fmt.Sprintf("%s→%s %d", t.From, t.To, t.Count))
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\n", p.Start.UTC().Format(time.DateOnly), p.Changes, strings.Join(moves, ", "))
		}
		tw.Flush()
	})
}
