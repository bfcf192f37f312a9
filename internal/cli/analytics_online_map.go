package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/cairn-cdp/cairn/internal/analytics/report"
)

const journeyMapUsage = `usage: cairn analytics journey-map [flags]
The customer journey drawn from the data: every touchpoint (channel × event)
placed in the lifecycle stage its customer was in, with the customers in each
cell and the share who moved to a later stage within --window after it
(GET /v1/analytics/journey-map).
Flags:`

// journeyMapAnswer is the part of the journey-map response the CLI prints.
type journeyMapAnswer struct {
	report.JourneyMap
	Journeys []struct {
		Name        string   `json:"name"`
		Stages      []string `json:"stages"`
		Touchpoints []string `json:"touchpoints"`
		Channels    []string `json:"channels"`
	} `json:"journeys"`
}

func analyticsJourneyMap(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := newOnlineCmd("journey-map", journeyMapUsage, stderr)
	o.fs.String("window", "", "a move to a later stage this long after a touchpoint counts as advancing (server default 30d)")
	o.fs.Int("rows", 0, "at most this many touchpoints, those with the most customers (server default 60)")
	o.spanFlags()
	if _, ok := o.parse(args); !ok {
		return 2
	}
	path := "/v1/analytics/journey-map" + o.query(map[string]string{"window": "window", "rows": "rows", "since": "since", "until": "until"})
	return call(ctx, o, "GET", path, nil, stdout, printJourneyMap)
}

func printJourneyMap(w io.Writer, m *journeyMapAnswer) {
	fmt.Fprintf(w, "%d customers; cells are customers (advanced within %s)\n", m.Customers, m.Window)
	tw := newTable(w)
	head := []string{"CHANNEL", "TOUCHPOINT"}
	for _, s := range m.Stages {
		head = append(head, strings.ToUpper(s.Name))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	stages := []string{"", "all touchpoints"}
	for _, s := range m.Stages {
		stages = append(stages, mapCell(s.MapCell))
	}
	fmt.Fprintln(tw, strings.Join(stages, "\t"))
	for _, r := range m.Rows {
		line := []string{r.Channel, r.Touchpoint}
		for _, c := range r.Cells {
			line = append(line, mapCell(c))
		}
		fmt.Fprintln(tw, strings.Join(line, "\t"))
	}
	tw.Flush()
	if m.OmittedRows > 0 {
		fmt.Fprintf(w, "%d touchpoints with fewer customers not shown (--rows)\n", m.OmittedRows)
	}
	for _, t := range m.Transitions {
		dir := "back"
		if t.Forward {
			dir = "forward"
		}
		fmt.Fprintf(w, "moved %s → %s: %d (%s)\n", t.From, t.To, t.Customers, dir)
	}
	for _, j := range m.Journeys {
		fmt.Fprintf(w, "journey %s acts on stages [%s], touchpoints [%s], sends on [%s]\n", j.Name,
			strings.Join(j.Stages, ", "), strings.Join(j.Touchpoints, ", "), strings.Join(j.Channels, ", "))
	}
}

func mapCell(c report.MapCell) string {
	if c.Customers == 0 {
		return "·"
	}
	return fmt.Sprintf("%d (%s)", c.Customers, pct(c.AdvanceRate))
}
