package httpapi

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
	"github.com/cairn-cdp/cairn/internal/analytics/report"
)

func TestLiftCSV(t *testing.T) {
	t.Parallel()
	srv := newFunnelServer(t, []funnelEv{
		{user: "a", name: "Catalog Delivered", hours: 0},
		{user: "a", name: "Order Completed", hours: 24},
		{user: "b", name: "Catalog Delivered", hours: 0},
		{user: "b", name: "Order Completed", hours: 24 * 40},
		{user: "c", name: "Catalog Held Out", hours: 0},
		{user: "c", name: "Order Completed", hours: 48},
		{user: "d", name: "Catalog Held Out", hours: 0},
	})
	var js liftResponse
	header, rows := csvAndJSON(t, srv, "POST", "/v1/analytics/lift",
		`{"exposure":{"event":"Catalog Delivered"},"holdout":{"event":"Catalog Held Out"}}`, &js)
	require.Equal(t, []string{"arm", "customers", "units", "conversions", "rate", "ci_low", "ci_high"}, header)
	require.Len(t, rows, 2)
	for i, arm := range []struct {
		name string
		want report.LiftArm
	}{{"holdout", js.Holdout}, {"exposed", js.Exposed}} {
		want := arm.want
		row := rows[i]
		require.Equal(t, arm.name, row["arm"])
		require.Equal(t, float64(want.Customers), num(t, row["customers"]))
		require.Equal(t, float64(want.Units), num(t, row["units"]))
		require.Equal(t, float64(want.Conversions), num(t, row["conversions"]))
		require.Equal(t, want.Rate, num(t, row["rate"]))
		require.Equal(t, want.CI.Low, num(t, row["ci_low"]))
		require.Equal(t, want.CI.High, num(t, row["ci_high"]))
	}
	require.Equal(t, []string{"2", "1", "0.5"}, []string{rows[1]["units"], rows[1]["conversions"], rows[1]["rate"]})
}

func TestAttributionCSV(t *testing.T) {
	h := newModelsHarness(t)
	seedAttribution(t, h)
	var js attributionResponse
	header, rows := csvAndJSON(t, h.srv, "POST", "/v1/analytics/attribution", `{"models":["first","last","linear","markov"]}`, &js)
	require.Equal(t, []string{"channel", "first", "last", "linear", "markov"}, header)
	require.Len(t, rows, len(js.Channels))
	for i, ch := range js.Channels {
		require.Equal(t, ch, rows[i]["channel"])
		for _, m := range js.ModelNames {
			require.Equal(t, credit(t, js, m, ch).Conversions, num(t, rows[i][m]), "%s %s", m, ch)
		}
	}
	require.Equal(t, map[string]string{"channel": "email", "first": "0", "last": "1", "linear": "0.5", "markov": rows[0]["markov"]}, rows[0])
	require.Equal(t, "1.5", rows[1]["linear"])

	var byCampaign attributionResponse
	header, _ = csvAndJSON(t, h.srv, "POST", "/v1/analytics/attribution", `{"by":"campaign","lookback":"0","models":["linear"]}`, &byCampaign)
	require.Equal(t, []string{"campaign", "linear"}, header)
}

func TestExperimentCSV(t *testing.T) {
	h := newModelsHarness(t)
	seedExperiment(t, h)
	var js experimentResponse
	header, rows := csvAndJSON(t, h.srv, "GET", "/v1/analytics/experiments/promo/exp", "", &js)
	require.Equal(t, []string{"arm", "planned_percent", "trials", "successes", "rate", "p_best", "expected_loss", "vs", "diff", "p"}, header)
	require.Len(t, rows, 2)
	for i, a := range js.Arms {
		require.Equal(t, a.ID, rows[i]["arm"])
		require.Equal(t, a.Planned, num(t, rows[i]["planned_percent"]))
		require.Equal(t, float64(a.Trials), num(t, rows[i]["trials"]))
		require.Equal(t, float64(a.Successes), num(t, rows[i]["successes"]))
		require.Equal(t, a.Rate, num(t, rows[i]["rate"]))
		require.Equal(t, js.Bayes.PBest[i], num(t, rows[i]["p_best"]))
		require.Equal(t, js.Bayes.ExpectedLoss[i], num(t, rows[i]["expected_loss"]))
	}
	require.Equal(t, []string{"control", "4", "1"}, []string{rows[0]["arm"], rows[0]["trials"], rows[0]["successes"]})
	require.Equal(t, []string{"", "", ""}, []string{rows[0]["vs"], rows[0]["diff"], rows[0]["p"]})
	require.Equal(t, "control", rows[1]["vs"])
	require.Equal(t, js.Comparisons[0].Report.ZTest.Diff, num(t, rows[1]["diff"]))
	require.Equal(t, js.Comparisons[0].Report.ZTest.P, num(t, rows[1]["p"]))
}

func TestReportsCSV(t *testing.T) {
	h := newReportsHarness(t)
	seedReports(t, h)

	t.Run("journey", func(t *testing.T) {
		var js journeyReportResponse
		header, rows := csvAndJSON(t, h.srv, "GET", "/v1/analytics/journeys/welcome/report", "", &js)
		require.Equal(t, []string{"node", "entered", "waiting", "sent", "skipped", "failed", "delivered", "opened", "clicked",
			"converted", "exited_completed", "exited_goal", "control_adjusted_p", "underperforming"}, header)
		require.Len(t, rows, len(js.Nodes))
		byNode := map[string]map[string]string{}
		for i, n := range js.Nodes {
			row := rows[i]
			require.Equal(t, n.Node, row["node"])
			for col, v := range map[string]int64{"entered": n.Entered, "waiting": n.Waiting, "sent": n.Sent, "skipped": n.Skipped,
				"failed": n.Failed, "delivered": n.Delivered, "opened": n.Opened, "clicked": n.Clicked, "converted": n.Converted,
				"exited_goal": n.Exited["goal"], "exited_completed": n.Exited["completed"]} {
				require.Equal(t, strconv.FormatInt(v, 10), row[col], "%s %s", n.Node, col)
			}
			byNode[n.Node] = row
		}
		email := byNode["email"]
		require.Equal(t, []string{"3", "2", "1", "1", "1", "1", "0"}, []string{email["entered"], email["sent"], email["skipped"],
			email["opened"], email["converted"], email["exited_goal"], email["exited_completed"]})
		require.Equal(t, "1", byNode["wait"]["waiting"])
		require.Equal(t, "2", byNode["end"]["exited_completed"])
	})

	t.Run("stages", func(t *testing.T) {
		var js stageReportResponse
		header, rows := csvAndJSON(t, h.srv, "GET", "/v1/analytics/stages/report?metric=opened&sort=rate", "", &js)
		require.Equal(t, []string{"stage", "template", "channel", "sends", "responders", "rate", "ci_low", "ci_high", "stage_rate",
			"p", "adjusted_p", "significant"}, header)
		require.Len(t, rows, len(js.Rows))
		for i, r := range js.Rows {
			row := rows[i]
			require.Equal(t, []string{r.Stage, r.Template, r.Channel}, []string{row["stage"], row["template"], row["channel"]})
			require.Equal(t, float64(r.Sends), num(t, row["sends"]))
			require.Equal(t, float64(r.Responders), num(t, row["responders"]))
			require.Equal(t, r.Rate, num(t, row["rate"]))
			require.Equal(t, r.CI.Low, num(t, row["ci_low"]))
			require.Equal(t, r.CI.High, num(t, row["ci_high"]))
			require.Equal(t, r.StageRate, num(t, row["stage_rate"]))
			require.Equal(t, r.AdjustedP, opt(t, row["adjusted_p"]))
			require.Equal(t, strconv.FormatBool(r.Significant), row["significant"])
		}
		require.Equal(t, []string{"new", "welcome_1", "email", "1", "1"},
			[]string{rows[0]["stage"], rows[0]["template"], rows[0]["channel"], rows[0]["sends"], rows[0]["responders"]})
		require.Equal(t, []string{"active", "0"}, []string{rows[1]["stage"], rows[1]["responders"]})
	})

	t.Run("flow", func(t *testing.T) {
		var js stageFlowResponse
		header, rows := csvAndJSON(t, h.srv, "GET", "/v1/analytics/stages/flow?period=week", "", &js)
		require.Equal(t, []string{"period_start", "period_end", "from", "to", "count"}, header)
		require.Len(t, rows, len(js.Sankey.Links))
		w0 := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
		require.Equal(t, map[string]string{"period_start": w0.Format(time.RFC3339), "period_end": w0.AddDate(0, 0, 7).Format(time.RFC3339),
			"from": "new", "to": "active", "count": "1"}, rows[0])
	})
}

func TestCLVTablesCSV(t *testing.T) {
	t.Parallel()
	res := clvResponse{Top: []clvCustomer{{ProfileID: "p1", X: 2, TX: 3.5, T: 10, ZBar: 20,
		Value: clv.Value{PAlive: 0.9, Purchases: 1.25, DiscountedPurchases: 1.2, Spend: 21, CLV: 25.2, UndiscountedCLV: 26.25}}}}
	header, rows := res.csvTable()
	require.Equal(t, []string{"profile_id", "x", "t_x", "T", "zbar", "p_alive", "expected_purchases", "discounted_purchases",
		"expected_spend", "clv", "clv_undiscounted"}, header)
	require.Equal(t, [][]string{{"p1", "2", "3.5", "10", "20", "0.9", "1.25", "1.2", "21", "25.2", "26.25"}}, rows)

	apply := clvApplyResponse{Customers: 3, ProfilesChanged: 2, BGNBD: clv.BGNBD{R: 0.5, Alpha: 2, A: 0.1, B: 1.5},
		Traits: []string{"p_alive", "predicted_clv"}}
	_, rows = apply.csvTable()
	require.Equal(t, [][]string{{"3", "2", "0.5", "2", "0.1", "1.5", "", "", "", "p_alive predicted_clv"}}, rows, "no spend model: empty cells")
	apply.GammaGamma = &clv.GammaGamma{P: 6, Q: 4, Gamma: 15}
	_, rows = apply.csvTable()
	require.Equal(t, []string{"6", "4", "15"}, rows[0][6:9])

	require.Equal(t, []string{"'=HYPERLINK(1)", "'-x", "'@a", "'+1", "a-b", ""}, []string{text("=HYPERLINK(1)"), text("-x"), text("@a"),
		text("+1"), text("a-b"), text("")})
}
