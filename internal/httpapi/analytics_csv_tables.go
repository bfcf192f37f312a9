package httpapi

import (
	"strings"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/analytics/report"
)

// The CSV tables of the funnel, paths, retention, lift and attribution
// routes: the table a marketer opens in a spreadsheet, one row per thing,
// one column per number, the same numbers as the JSON.

// csvTable is one row per step: the totals (breakdown "") then, with a
// breakdown, each group's counts and conversions (time to step and
// drop-offs are totals only). With compare a leading period column says
// which range a row is from (current or compare).
func (f funnelResponse) csvTable() ([]string, [][]string) {
	header := []string{"breakdown", "step", "event", "count", "conversion_from_previous", "conversion_from_first",
		"median_seconds", "p90_seconds", "dropped"}
	rows := funnelRows(f.FunnelResult)
	if f.Compare == nil {
		return header, rows
	}
	for i := range rows {
		rows[i] = append([]string{"current"}, rows[i]...)
	}
	for _, row := range funnelRows(*f.Compare) {
		rows = append(rows, append([]string{"compare"}, row...))
	}
	return append([]string{"period"}, header...), rows
}

func funnelRows(res funnel.FunnelResult) [][]string {
	rows := make([][]string, 0, len(res.Steps)*(1+len(res.Breakdown)))
	for k, s := range res.Steps {
		rows = append(rows, []string{"", inum(k + 1), text(s.Event), inum(s.Count), fnum(s.FromPrevious), fnum(s.FromFirst),
			optNum(s.Median), optNum(s.P90), inum(s.Dropped.Total)})
	}
	for _, b := range res.Breakdown {
		for k, c := range b.Counts {
			event, prev, first := "", ratioOf(c, b.Counts[max(k-1, 0)]), ""
			if k < len(res.Steps) {
				event = res.Steps[k].Event
			}
			if k < len(b.FromFirst) {
				first = fnum(b.FromFirst[k])
			}
			rows = append(rows, []string{text(b.Value), inum(k + 1), text(event), inum(c), fnum(prev), first, "", "", ""})
		}
	}
	return rows
}

// ratioOf is a/b, 0 when b is 0, as the funnel computes its conversions.
func ratioOf[T ~int | ~int64](a, b T) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// csvTable is one row per top path (steps joined by " > "), then
// "(other)" for the profiles on the paths beyond the top; share is the
// path's profiles over all profiles with the anchor event.
func (p pathsResponse) csvTable() ([]string, [][]string) {
	rows := make([][]string, 0, len(p.Paths)+1)
	for _, pc := range p.Paths {
		steps := make([]string, len(pc.Steps))
		for i, s := range pc.Steps {
			steps[i] = text(s)
		}
		rows = append(rows, []string{strings.Join(steps, " > "), inum(pc.Count), fnum(ratioOf(pc.Count, p.Profiles))})
	}
	if p.Other > 0 {
		rows = append(rows, []string{"(other)", inum(p.Other), fnum(ratioOf(p.Other, p.Profiles))})
	}
	return []string{"path", "count", "share"}, rows
}

// csvTable is one row per cohort, oldest first: its start, size and the
// share retained in each period (empty for periods not over yet).
func (r retentionResponse) csvTable() ([]string, [][]string) {
	n := 0
	for _, row := range r.Rows {
		n = max(n, len(row.Rates))
	}
	header := []string{"cohort", "size"}
	for k := range n {
		header = append(header, "period_"+inum(k))
	}
	rows := make([][]string, 0, len(r.Rows))
	for _, row := range r.Rows {
		cells := make([]string, 2, 2+n)
		cells[0], cells[1] = stamp(row.Cohort), inum(row.Size)
		for k := range n {
			cell := ""
			if k < len(row.Rates) {
				cell = fnum(row.Rates[k])
			}
			cells = append(cells, cell)
		}
		rows = append(rows, cells)
	}
	return header, rows
}

// csvTable is one row per arm, the holdout first, with its 95% interval.
func (l liftResponse) csvTable() ([]string, [][]string) {
	rows := make([][]string, 0, 2)
	for _, a := range []struct {
		name string
		arm  report.LiftArm
	}{{"holdout", l.Holdout}, {"exposed", l.Exposed}} {
		rows = append(rows, []string{a.name, inum(a.arm.Customers), inum(a.arm.Units), inum(a.arm.Conversions), fnum(a.arm.Rate),
			fnum(a.arm.CI.Low), fnum(a.arm.CI.High)})
	}
	return []string{"arm", "customers", "units", "conversions", "rate", "ci_low", "ci_high"}, rows
}

// csvTable is one row per channel (or campaign) with the conversions each
// model credits it, one column per model in the response's order ("" when
// a model has no credit for it).
func (a attributionResponse) csvTable() ([]string, [][]string) {
	header := append([]string{a.By}, a.ModelNames...)
	if a.By == "" {
		header[0] = "channel"
	}
	credit := make(map[string]map[string]float64, len(a.ModelNames))
	for _, m := range a.ModelNames {
		credit[m] = make(map[string]float64, len(a.Models[m]))
		for _, c := range a.Models[m] {
			credit[m][c.Channel] = c.Conversions
		}
	}
	rows := make([][]string, 0, len(a.Channels))
	for _, ch := range a.Channels {
		row := []string{text(ch)}
		for _, m := range a.ModelNames {
			cell := ""
			if c, ok := credit[m][ch]; ok {
				cell = fnum(c)
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	return header, rows
}
