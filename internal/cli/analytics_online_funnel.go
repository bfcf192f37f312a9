package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
)

const funnelUsage = `usage: cairn analytics funnel --steps "A,B,C" [flags]
       cairn analytics funnel -f REQUEST.json [flags]
Conversion through ordered steps over the server's events (POST /v1/analytics/funnels).
-f is a request body, for steps with filters in the segment language, e.g.
  {"steps":[{"event":"Product Viewed"},
            {"event":"Order Completed","where":[{"property":"revenue","op":"gt","value":100}]}]}
Flags given on the command line replace the file's fields. The table shows each
step's count, conversion from the previous and the first step, and the median
time from the previous step.
Flags:`

const pathsUsage = `usage: cairn analytics paths (--from EVENT | --to EVENT) [flags]
The most common paths from or to an event (POST /v1/analytics/paths).
Flags:`

const retentionUsage = `usage: cairn analytics retention [flags]
Cohort retention: customers grouped by the period of their first cohort event,
then the share returning with the return event in each later period
(POST /v1/analytics/retention).
Flags:`

func analyticsFunnel(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := newOnlineCmd("funnel", funnelUsage, stderr)
	file := o.fs.String("f", "", "request body JSON file (steps with where filters)")
	steps := o.fs.String("steps", "", "comma-separated step events, in order")
	o.fs.String("window", "", "time from the first step to complete the funnel, such as 7d or 12h (server default 7d)")
	o.choice("order", "step order (server default strict)", "strict", "any")
	o.fs.String("breakdown", "", "split entered profiles by channel, source, stage (at entry), property:PATH or segment:ID")
	dropStep := o.fs.Int("save-dropoff", 0, "save who dropped at this step (2…n: did the step before, not this one) as a live segment")
	dropName := o.fs.String("segment-name", "", "name of the segment --save-dropoff creates")
	o.spanFlags()
	if _, ok := o.parse(args); !ok {
		return 2
	}
	if *file == "" && *steps == "" {
		return o.usageErr("give the steps with --steps \"A,B,C\" or a request with -f FILE")
	}
	body, err := o.body(*file, map[string]string{"window": "window", "order": "order", "breakdown": "breakdown", "since": "since", "until": "until"})
	if err != nil {
		return fail(stderr, err)
	}
	if *dropStep != 0 || *dropName != "" {
		if *dropStep == 0 || *dropName == "" {
			return o.usageErr("--save-dropoff STEP and --segment-name NAME go together")
		}
		body["save_dropoff"] = map[string]any{"step": *dropStep, "name": *dropName}
	}
	if *steps != "" {
		var list []map[string]any
		for _, e := range splitList(*steps) {
			list = append(list, map[string]any{"event": e})
		}
		body["steps"] = list
	}
	return call(ctx, o, "POST", "/v1/analytics/funnels", body, stdout, printFunnel)
}

// funnelAnswer is the part of the funnel response the table shows.
type funnelAnswer struct {
	funnel.FunnelResult
	Window  string               `json:"window"`
	Order   string               `json:"order"`
	Compare *funnel.FunnelResult `json:"compare"`
	Scanned funnel.ScanStats     `json:"scanned"`
	Saved   *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Text string `json:"text"`
	} `json:"saved_segment"`
}

func printFunnel(w io.Writer, r *funnelAnswer) {
	defer func() {
		if r.Saved != nil {
			fmt.Fprintf(w, "\nsaved the drop-off as segment %s %q: %s\n", r.Saved.ID, r.Saved.Name, r.Saved.Text)
		}
	}()
	fmt.Fprintf(w, "%d entered; window %s, order %s; %d profiles and %d events scanned\n",
		r.Entered, r.Window, r.Order, r.Scanned.Profiles, r.Scanned.Events)
	funnelTable(w, &r.FunnelResult)
	if r.Compare != nil {
		fmt.Fprintf(w, "\ncompared period: %d entered\n", r.Compare.Entered)
		funnelTable(w, r.Compare)
	}
}

func funnelTable(w io.Writer, r *funnel.FunnelResult) {
	tw := newTable(w)
	fmt.Fprintln(tw, "STEP\tEVENT\tCOUNT\tFROM PREVIOUS\tFROM FIRST\tMEDIAN TIME\tDROPPED")
	for i, s := range r.Steps {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%d\n", i+1, s.Event, s.Count, pct(s.FromPrevious), pct(s.FromFirst), seconds(s.Median), s.Dropped.Total)
	}
	tw.Flush()
	if len(r.Breakdown) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw = newTable(w)
	head := []string{"BREAKDOWN"}
	for i := range r.Steps {
		head = append(head, "STEP "+strconv.Itoa(i+1))
	}
	fmt.Fprintln(tw, strings.Join(append(head, "CONVERSION"), "\t"))
	for _, b := range r.Breakdown {
		row := []string{b.Value}
		for _, n := range b.Counts {
			row = append(row, strconv.Itoa(n))
		}
		conv := "-"
		if len(b.FromFirst) > 0 {
			conv = pct(b.FromFirst[len(b.FromFirst)-1])
		}
		fmt.Fprintln(tw, strings.Join(append(row, conv), "\t"))
	}
	tw.Flush()
}

func analyticsPaths(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := newOnlineCmd("paths", pathsUsage, stderr)
	from := o.fs.String("from", "", "paths starting at this event")
	to := o.fs.String("to", "", "paths ending at this event")
	o.fs.Int("depth", 0, "touchpoints per path, the anchor included (server default 5)")
	o.fs.Int("top", 0, "paths to list (server default 10)")
	o.choice("level", "touchpoints are events or channels (server default event)", "event", "channel")
	o.spanFlags()
	if _, ok := o.parse(args); !ok {
		return 2
	}
	if (*from == "") == (*to == "") {
		return o.usageErr("give exactly one of --from EVENT and --to EVENT")
	}
	body, err := o.body("", map[string]string{"from": "from", "to": "to", "depth": "depth", "top": "top", "level": "level",
		"since": "since", "until": "until"})
	if err != nil {
		return fail(stderr, err)
	}
	anchor := "from " + strconv.Quote(*from)
	if *to != "" {
		anchor = "to " + strconv.Quote(*to)
	}
	return call(ctx, o, "POST", "/v1/analytics/paths", body, stdout, func(w io.Writer, r *funnel.PathsResult) {
		fmt.Fprintf(w, "%d profiles with paths %s; %d on paths beyond the top\n", r.Profiles, anchor, r.Other)
		tw := newTable(w)
		fmt.Fprintln(tw, "COUNT\tSHARE\tPATH")
		for _, p := range r.Paths {
			share := 0.0
			if r.Profiles > 0 {
				share = float64(p.Count) / float64(r.Profiles)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\n", p.Count, pct(share), strings.Join(p.Steps, " > "))
		}
		tw.Flush()
	})
}

// retentionAnswer is the retention response.
type retentionAnswer struct {
	funnel.RetentionResult
	CohortEvent string `json:"cohort_event"`
	ReturnEvent string `json:"return_event"`
}

func analyticsRetention(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := newOnlineCmd("retention", retentionUsage, stderr)
	o.fs.String("cohort-event", "", "event that puts a customer in the cohort of its period (server default Order Completed)")
	o.fs.String("return-event", "", "event that counts as returning (server default the cohort event)")
	o.choice("period", "cohort period (server default week)", "day", "week", "month")
	o.fs.Int("periods", 0, "periods after the cohort's to follow (server default 8)")
	o.spanFlags()
	if _, ok := o.parse(args); !ok {
		return 2
	}
	body, err := o.body("", map[string]string{"cohort-event": "cohort_event", "return-event": "return_event", "period": "period",
		"periods": "periods", "since": "since", "until": "until"})
	if err != nil {
		return fail(stderr, err)
	}
	return call(ctx, o, "POST", "/v1/analytics/retention", body, stdout, printRetention)
}

func printRetention(w io.Writer, r *retentionAnswer) {
	fmt.Fprintf(w, "cohorts by %s of first %q, returning with %q\n", r.Period, r.CohortEvent, r.ReturnEvent)
	periods := 0
	for _, row := range r.Rows {
		periods = max(periods, len(row.Rates))
	}
	tw := newTable(w)
	head := []string{"COHORT", "SIZE"}
	for k := range periods {
		head = append(head, strings.ToUpper(r.Period)+" "+strconv.Itoa(k))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	layout := time.DateOnly
	if r.Period == "month" {
		layout = "2006-01"
	}
	for _, row := range r.Rows {
		cells := []string{row.Cohort.UTC().Format(layout), strconv.Itoa(row.Size)}
		for _, rate := range row.Rates {
			cells = append(cells, pct(rate))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
}
