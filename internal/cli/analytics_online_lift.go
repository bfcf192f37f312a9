package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/cairn-cdp/cairn/internal/analytics/report"
)

const liftUsage = `usage: cairn analytics lift --exposure EVENT --holdout EVENT [flags]
       cairn analytics lift -f REQUEST.json [flags]
Incrementality of a channel against its control group (POST /v1/analytics/lift):
conversion within --window after each treatment record (a catalog delivered)
against conversion after each holdout record (the piece withheld, at the time
it would have arrived). For the NTO demo's direct mail:
  cairn analytics lift --exposure "Catalog Delivered" --holdout "Catalog Held Out" \
    --window 30d --first-conversion --holdout-share 0.15
-f is a request body, for records with filters in the segment language
({"exposure":{"event":..,"where":[..]},"holdout":{..},"conversion":{..}}).
Flags:`

func analyticsLift(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := newOnlineCmd("lift", liftUsage, stderr)
	file := o.fs.String("f", "", "request body JSON file (records with where filters)")
	exposure := o.fs.String("exposure", "", "event of a treatment record")
	holdout := o.fs.String("holdout", "", "event of a holdout record")
	conversion := o.fs.String("conversion", "", "conversion event (server default Order Completed)")
	o.fs.String("window", "", "conversion window after a record, such as 30d (server default 30d)")
	o.fs.Bool("first-conversion", false, "count only records before the customer's first conversion")
	o.choice("unit", "what a trial is (server default exposure)", report.UnitExposure, report.UnitCustomer)
	o.fs.Float64("holdout-share", 0, "planned holdout share, for the sample-ratio check")
	o.fs.Var(new(timeFlag), "end", "data horizon: records whose window ends later are left out (default the latest event)")
	o.spanFlags()
	if _, ok := o.parse(args); !ok {
		return 2
	}
	if *file == "" && (*exposure == "" || *holdout == "") {
		return o.usageErr("give --exposure and --holdout events, or a request with -f FILE")
	}
	body, err := o.body(*file, map[string]string{"window": "window", "first-conversion": "first_conversion", "unit": "unit",
		"holdout-share": "holdout_share", "end": "end", "since": "since", "until": "until"})
	if err != nil {
		return fail(stderr, err)
	}
	for field, event := range map[string]string{"exposure": *exposure, "holdout": *holdout, "conversion": *conversion} {
		if event != "" {
			body[field] = map[string]any{"event": event}
		}
	}
	return call(ctx, o, "POST", "/v1/analytics/lift", body, stdout, printLift)
}

// liftAnswer is the lift response.
type liftAnswer struct {
	report.LiftResult
	Window string `json:"window"`
}

func printLift(w io.Writer, r *liftAnswer) {
	fmt.Fprintf(w, "unit %s, window %s, horizon %s; excluded: %d after a conversion, %d with the window still open\n",
		r.Unit, r.Window, r.Horizon.Format("2006-01-02 15:04"), r.Excluded.AfterConversion, r.Excluded.OpenWindow)
	tw := newTable(w)
	fmt.Fprintln(tw, "ARM\tCUSTOMERS\tUNITS\tCONVERSIONS\tRATE\t95% CI")
	for _, a := range []struct {
		name string
		arm  report.LiftArm
	}{{"holdout", r.Holdout}, {"exposed", r.Exposed}} {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s – %s\n", a.name, a.arm.Customers, a.arm.Units, a.arm.Conversions,
			pct(a.arm.Rate), pct(a.arm.CI.Low), pct(a.arm.CI.High))
	}
	tw.Flush()
	if t := r.Test; t != nil {
		fmt.Fprintf(w, "difference %s (95%% CI %s – %s), p = %s\n", pct(t.Diff), pct(t.DiffCI.Low), pct(t.DiffCI.High),
			strconv.FormatFloat(t.P, 'g', 3, 64))
		if t.Lift != nil {
			fmt.Fprintf(w, "relative lift %s (95%% CI %s – %s)\n", pct(t.Lift.Estimate), pct(t.Lift.CI.Low), pct(t.Lift.CI.High))
		}
	}
	if b := r.Bayes; b != nil && len(b.PBest) == 2 {
		fmt.Fprintf(w, "P(exposed converts better) = %.4f\n", b.PBest[1])
	}
	if r.SRM != nil {
		fmt.Fprintf(w, "sample-ratio check: p = %s\n", strconv.FormatFloat(r.SRM.P, 'g', 3, 64))
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "note:", n)
	}
}
