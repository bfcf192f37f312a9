package httpapi

import (
	"slices"
	"strconv"
	"strings"

	"github.com/cairn-cdp/cairn/internal/analytics/abtest"
	"github.com/cairn-cdp/cairn/internal/analytics/clv"
)

// The CSV tables of the CLV, experiment, journey and stage routes.

// csvTable is one row per top customer (best first) with the summary the
// models read and the prediction, in the JSON's units (weeks).
func (c clvResponse) csvTable() ([]string, [][]string) {
	rows := make([][]string, 0, len(c.Top))
	for _, t := range c.Top {
		rows = append(rows, []string{text(t.ProfileID), inum(t.X), fnum(t.TX), fnum(t.T), fnum(t.ZBar), fnum(t.PAlive),
			fnum(t.Purchases), fnum(t.DiscountedPurchases), fnum(t.Spend), fnum(t.CLV), fnum(t.UndiscountedCLV)})
	}
	return []string{"profile_id", "x", "t_x", "T", "zbar", "p_alive", "expected_purchases", "discounted_purchases",
		"expected_spend", "clv", "clv_undiscounted"}, rows
}

// clvApplyResponse is the answer of POST /v1/analytics/clv/apply.
type clvApplyResponse struct {
	Customers       int             `json:"customers"`
	ProfilesChanged int             `json:"profiles_changed"`
	BGNBD           clv.BGNBD       `json:"bg_nbd"`
	GammaGamma      *clv.GammaGamma `json:"gamma_gamma"` // nil without a spend model
	Traits          []string        `json:"traits"`
}

// csvTable is a single summary row: the counts, the fitted parameters
// (Gamma-Gamma's empty without a spend model) and the traits written.
func (a clvApplyResponse) csvTable() ([]string, [][]string) {
	row := []string{inum(a.Customers), inum(a.ProfilesChanged), fnum(a.BGNBD.R), fnum(a.BGNBD.Alpha), fnum(a.BGNBD.A), fnum(a.BGNBD.B),
		"", "", "", strings.Join(a.Traits, " ")}
	if g := a.GammaGamma; g != nil {
		row[6], row[7], row[8] = fnum(g.P), fnum(g.Q), fnum(g.Gamma)
	}
	return []string{"customers", "profiles_changed", "bg_nbd_r", "bg_nbd_alpha", "bg_nbd_a", "bg_nbd_b",
		"gamma_gamma_p", "gamma_gamma_q", "gamma_gamma_gamma", "traits"}, [][]string{row}
}

// csvTable is one row per arm: planned split, counts, rate, the Bayesian
// P(best) and expected loss, and for every arm but the first the z-test
// against the first (vs names it): difference of rates and p-value.
func (e experimentResponse) csvTable() ([]string, [][]string) {
	rows := make([][]string, 0, len(e.Arms))
	for i, a := range e.Arms {
		row := []string{text(a.ID), fnum(a.Planned), inum(a.Trials), inum(a.Successes), fnum(a.Rate), "", "", "", "", ""}
		if b := e.Bayes; b != nil && i < len(b.PBest) && i < len(b.ExpectedLoss) {
			row[5], row[6] = fnum(b.PBest[i]), fnum(b.ExpectedLoss[i])
		}
		if i > 0 && i-1 < len(e.Comparisons) {
			c := e.Comparisons[i-1]
			row[7] = text(c.A)
			if z := c.Report.ZTest; z != nil {
				row[8], row[9] = fnum(z.Diff), fnum(z.P)
			}
		}
		rows = append(rows, row)
	}
	return []string{"arm", "planned_percent", "trials", "successes", "rate", "p_best", "expected_loss", "vs", "diff", "p"}, rows
}

// csvTable is one row per node with its counts, one exited_<reason>
// column per exit reason of the journey, and for a message node with a
// control group the Holm-adjusted p of sending against not sending and
// its underperforming flag (empty without a control group).
func (j journeyReportResponse) csvTable() ([]string, [][]string) {
	var reasons []string
	for _, n := range j.Nodes {
		for r := range n.Exited {
			reasons = append(reasons, r)
		}
	}
	slices.Sort(reasons)
	reasons = slices.Compact(reasons)
	header := []string{"node", "entered", "waiting", "sent", "skipped", "failed", "delivered", "opened", "clicked", "converted"}
	for _, r := range reasons {
		header = append(header, "exited_"+r)
	}
	header = append(header, "control_adjusted_p", "underperforming")
	rows := make([][]string, 0, len(j.Nodes))
	for _, n := range j.Nodes {
		row := []string{text(n.Node), inum(n.Entered), inum(n.Waiting), inum(n.Sent), inum(n.Skipped), inum(n.Failed),
			inum(n.Delivered), inum(n.Opened), inum(n.Clicked), inum(n.Converted)}
		for _, r := range reasons {
			row = append(row, inum(n.Exited[r]))
		}
		if c := n.Control; c != nil {
			row = append(row, fnum(c.AdjustedP), strconv.FormatBool(c.Underperforming))
		} else {
			row = append(row, "", "")
		}
		rows = append(rows, row)
	}
	return header, rows
}

// csvTable is one row per stage × template × channel, as sorted: the
// responders on the report's metric, the rate and its 95% interval, the
// stage's rate, the test against the rest of the stage (p, and the
// Benjamini–Hochberg adjusted p; empty for a row that is the whole stage).
func (s stageReportResponse) csvTable() ([]string, [][]string) {
	rows := make([][]string, 0, len(s.Rows))
	for _, r := range s.Rows {
		rows = append(rows, []string{text(r.Stage), text(r.Template), text(r.Channel), inum(r.Sends), inum(r.Responders),
			fnum(r.Rate), fnum(r.CI.Low), fnum(r.CI.High), fnum(r.StageRate), zP(r.VsStage), optNum(r.AdjustedP),
			strconv.FormatBool(r.Significant)})
	}
	return []string{"stage", "template", "channel", "sends", "responders", "rate", "ci_low", "ci_high", "stage_rate",
		"p", "adjusted_p", "significant"}, rows
}

func zP(z *abtest.ZTest) string {
	if z == nil {
		return ""
	}
	return fnum(z.P)
}

// csvTable is one row per Sankey link: the customers in stage from at
// period_start and in stage to at period_end (the same stage when they
// did not move).
func (f stageFlowResponse) csvTable() ([]string, [][]string) {
	type node struct {
		stage, at string
	}
	nodes := make(map[string]node, len(f.Sankey.Nodes))
	for _, n := range f.Sankey.Nodes {
		nodes[n.ID] = node{stage: n.Stage, at: stamp(n.At)}
	}
	rows := make([][]string, 0, len(f.Sankey.Links))
	for _, l := range f.Sankey.Links {
		from, to := nodes[l.Source], nodes[l.Target]
		rows = append(rows, []string{from.at, to.at, text(from.stage), text(to.stage), inum(l.Value)})
	}
	return []string{"period_start", "period_end", "from", "to", "count"}, rows
}

// csvTable is one row per touchpoint and stage with any touch: the
// customers, events and advanced customers of the cell.
func (m journeyMapResponse) csvTable() ([]string, [][]string) {
	var rows [][]string
	for _, r := range m.Rows {
		for i, c := range r.Cells {
			if c.Events == 0 {
				continue
			}
			rows = append(rows, []string{text(r.Channel), text(r.Touchpoint), text(m.Stages[i].Name), inum(c.Customers),
				inum(c.Events), inum(c.Advanced), fnum(c.AdvanceRate)})
		}
	}
	return []string{"channel", "touchpoint", "stage", "customers", "events", "advanced", "advance_rate"}, rows
}

// csvTable is one row per customer of the cell.
func (c cellResponse) csvTable() ([]string, [][]string) {
	rows := make([][]string, 0, len(c.Customers))
	for _, cc := range c.Customers {
		rows = append(rows, []string{text(cc.ProfileID), text(cc.Name), text(cc.Email), inum(cc.Events), stamp(cc.First), stamp(cc.Last),
			strconv.FormatBool(cc.Advanced)})
	}
	return []string{"profile_id", "name", "email", "events", "first", "last", "advanced"}, rows
}
